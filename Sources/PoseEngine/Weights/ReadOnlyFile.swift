import Foundation

/// A regular file opened for positioned reads of exactly the bytes asked for.
///
/// Callers validate sizes against `size` before reading, so nothing is ever
/// allocated from an untrusted length.
final class ReadOnlyFile {
    struct Failure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    let size: Int
    private let descriptor: Int32

    init(path: String) throws(Failure) {
        // Without O_NONBLOCK, opening a named pipe waits for a writer, and nothing (not even
        // Ctrl-C in the studio) ends the wait; it changes nothing for the regular files read here.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { throw Self.lastFailure() }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let failure = Self.lastFailure()
            close(descriptor)
            throw failure
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw Failure(reason: "not a regular file")
        }
        self.descriptor = descriptor
        self.size = Int(status.st_size)
    }

    deinit {
        close(descriptor)
    }

    /// Exactly `count` bytes starting at `offset`.
    func read(count: Int, at offset: Int) throws(Failure) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw Failure(reason: "a read of \(count) bytes at \(offset) lies outside the \(size)-byte file")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw Self.lastFailure()
            }
            guard got > 0 else {
                throw Failure(reason: "the file ended early (was it changed while being read?)")
            }
            done += got
        }
        return bytes
    }

    private static func lastFailure() -> Failure {
        Failure(reason: String(cString: strerror(errno)))
    }
}
