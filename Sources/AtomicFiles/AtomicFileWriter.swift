import Foundation

/// Writes a file so that readers see either the old content or the complete
/// new one: bytes go to a temporary file in the same directory, which is
/// flushed to disk and then renamed over the destination.
///
/// The destination is what the path names (`WriteDestination`): a symbolic link's target, whose
/// permissions the new file keeps; a device, pipe or open descriptor (`/dev/stdout`) is written
/// in place once the bytes are ready. If `commit()` is never reached the temporary file is removed.
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

    /// `followingLinks: false` replaces a symbolic link at `path` instead of the file it names.
    public init(path: String, followingLinks: Bool = true) throws(Failure) {
        self.path = path
        destination = try WriteDestination.resolving(path, followingLinks: followingLinks)
        let suffix = "\(getpid()).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
        let directory: String
        if case .replace(let target, _) = destination {
            directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
            temporaryPath = "\(directory)/.\(URL(fileURLWithPath: target).lastPathComponent).\(suffix)"
        } else {
            directory = FileManager.default.temporaryDirectory.path
            temporaryPath = "\(directory)/posestudio-\(URL(fileURLWithPath: path).lastPathComponent).\(suffix)"
        }
        descriptor = open(temporaryPath, O_RDWR | O_CREAT | O_EXCL, 0o644)
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
        if let failure = bytes.withUnsafeBytes({ Self.writeAll($0, to: descriptor) }) { throw failure }
    }

    /// Puts the file in place. `flush: false` skips forcing the data to disk, for bulk output
    /// (datasets) where a crash may simply lose the last files.
    public func commit(flush: Bool = true) throws(Failure) {
        switch destination {
        case .replace(let target, _):
            if flush { guard fsync(descriptor) == 0 else { throw Self.lastFailure("fsync failed") } }
            try closeTemporary()
            guard rename(temporaryPath, target) == 0 else { throw Self.lastFailure("rename into place failed") }
            committed = true
            if flush { Self.syncDirectory(of: target) }
        case .stream(let target):
            let output = open(target, O_WRONLY)
            guard output >= 0 else { throw Self.lastFailure("cannot open \(target)") }
            defer { close(output) }
            try copyTemporary(to: output)
        case .descriptor(let output):
            try copyTemporary(to: output)
        }
    }

    /// Sends the gathered bytes into a device, pipe or open descriptor, reporting a short write
    /// (a full disk, `/dev/full`) instead of losing it, then removes the temporary file.
    private func copyTemporary(to output: Int32) throws(Failure) {
        guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw Self.lastFailure("cannot read back \(temporaryPath)") }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Self.lastFailure("cannot read back \(temporaryPath)") }
            if count == 0 { break }
            let failure = chunk.withUnsafeBytes { Self.writeAll(UnsafeRawBufferPointer(rebasing: $0.prefix(count)), to: output) }
            if let failure { throw failure }
        }
        try closeTemporary()
        committed = true
        unlink(temporaryPath)
    }

    /// Closes the temporary file once: after a failed close the descriptor number may already
    /// belong to another file, which `deinit` must not close.
    private func closeTemporary() throws(Failure) {
        let closing = descriptor
        descriptor = -1
        guard close(closing) == 0 else { throw Self.lastFailure("close failed") }
    }

    /// Writes all of `bytes`, retrying short writes; the failure, if one stops it.
    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Failure? {
        guard let base = bytes.baseAddress else { return nil }
        var done = 0
        while done < bytes.count {
            let wrote = Foundation.write(descriptor, base + done, bytes.count - done)
            if wrote < 0 {
                if errno == EINTR { continue }
                return lastFailure("write failed")
            }
            done += wrote
        }
        return nil
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
