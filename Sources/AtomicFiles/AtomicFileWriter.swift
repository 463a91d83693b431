import Foundation

/// Writes a file so that readers see either the old content or the complete
/// new one: bytes go to a temporary file in the same directory, which is
/// flushed to disk and then renamed over the destination.
///
/// The destination is what the path names (`WriteDestination`): a symbolic link's target, whose
/// permissions the new file keeps; a device or pipe is written in place once the bytes are ready.
/// If `commit()` is never reached the temporary file is removed.
public final class AtomicFileWriter {
    public struct Failure: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// The path as the caller gave it.
    public let path: String
    /// Where the bytes are gathered; libraries that write by file name (libsixel) write here.
    public let temporaryPath: String
    private let destination: WriteDestination
    private var descriptor: Int32
    private var committed = false

    public init(path: String) throws(Failure) {
        self.path = path
        destination = WriteDestination.resolving(path)
        let suffix = "\(getpid()).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
        let name = URL(fileURLWithPath: path).lastPathComponent
        let directory: String
        switch destination {
        case .replace(let target, _):
            directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
            temporaryPath = "\(directory)/.\(URL(fileURLWithPath: target).lastPathComponent).\(suffix)"
        case .stream:
            directory = FileManager.default.temporaryDirectory.path
            temporaryPath = "\(directory)/posestudio-\(name).\(suffix)"
        }
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        // The temporary file's name means nothing to a user: name the folder.
        guard descriptor >= 0 else { throw Self.lastFailure("cannot create a file in \(directory)") }
        if case .replace(_, let mode?) = destination, fchmod(descriptor, mode) != 0 {
            throw Self.lastFailure("cannot keep the permissions of \(path)")
        }
    }

    deinit {
        if !committed {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporaryPath)
        }
    }

    public func write(_ bytes: [UInt8]) throws(Failure) {
        try Self.writeAll(bytes, to: descriptor)
    }

    /// Puts the file in place. `flush: false` skips forcing the data to disk, for bulk output
    /// (datasets) where a crash may simply lose the last files.
    public func commit(flush: Bool = true) throws(Failure) {
        if flush { guard fsync(descriptor) == 0 else { throw Self.lastFailure("fsync failed") } }
        guard close(descriptor) == 0 else { throw Self.lastFailure("close failed") }
        descriptor = -1
        switch destination {
        case .replace(let target, _):
            guard rename(temporaryPath, target) == 0 else { throw Self.lastFailure("rename into place failed") }
            committed = true
            if flush { Self.syncDirectory(of: target) }
        case .stream(let target):
            try Self.copy(temporaryPath, into: target)
            committed = true
            unlink(temporaryPath)
        }
    }

    /// Writes the gathered bytes into a device or pipe, reporting a short write (a full disk,
    /// `/dev/full`) instead of losing it.
    private static func copy(_ source: String, into target: String) throws(Failure) {
        guard let bytes = FileManager.default.contents(atPath: source) else {
            throw Failure(reason: "cannot read back the temporary file \(source)")
        }
        let output = open(target, O_WRONLY)
        guard output >= 0 else { throw lastFailure("cannot open \(target)") }
        do {
            try writeAll(Array(bytes), to: output)
        } catch {
            close(output)
            throw error
        }
        guard close(output) == 0 else { throw lastFailure("close failed") }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + done, bytes.count - done)
            }
            if wrote < 0 {
                if errno == EINTR { continue }
                throw lastFailure("write failed")
            }
            done += wrote
        }
    }

    /// Makes the rename itself durable. Best effort: some file systems do not
    /// allow opening or syncing a directory, and the data is already safe.
    private static func syncDirectory(of path: String) {
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
