import Foundation

/// Writes a file so that readers see either the old content or the complete
/// new one: bytes go to a temporary file in the same directory, which is
/// flushed to disk and then renamed over the destination.
///
/// If `commit()` is never reached the temporary file is removed.
final class AtomicFileWriter {
    struct Failure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var committed = false

    init(path: String) throws(Failure) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        temporaryPath = "\(directory)/.\(url.lastPathComponent).\(getpid()).\(suffix).tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        // The temporary file's name means nothing to a user: name the folder.
        guard descriptor >= 0 else { throw Self.lastFailure("cannot create a file in \(directory)") }
    }

    deinit {
        if !committed {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporaryPath)
        }
    }

    func write(_ bytes: [UInt8]) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + done, bytes.count - done)
            }
            if wrote < 0 {
                if errno == EINTR { continue }
                throw Self.lastFailure("write failed")
            }
            done += wrote
        }
    }

    /// Flushes the data to disk and puts the file in place.
    func commit() throws(Failure) {
        guard fsync(descriptor) == 0 else { throw Self.lastFailure("fsync failed") }
        guard close(descriptor) == 0 else { throw Self.lastFailure("close failed") }
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else { throw Self.lastFailure("rename into place failed") }
        committed = true
        syncDirectory()
    }

    /// Makes the rename itself durable. Best effort: some file systems do not
    /// allow opening or syncing a directory, and the data is already safe.
    private func syncDirectory() {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let directoryDescriptor = open(directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    private static func lastFailure(_ what: String) -> Failure {
        Failure(reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
