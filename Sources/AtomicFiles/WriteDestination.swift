import Foundation

/// Where the bytes for a path really go, decided before writing.
///
/// Replacing a file by renaming a finished copy over it is what keeps saves whole, but a rename
/// acts on the name, not on what the name points to: over a symbolic link it would replace the
/// link, and over a device or pipe it would put a plain file in its place.
public enum WriteDestination: Equatable, Sendable {
    /// A regular file, or none yet: replaced whole by a rename. `mode` is the existing file's
    /// permission bits, which the replacement keeps.
    case replace(path: String, mode: mode_t?)
    /// A device, pipe or socket: opened and written in place, since it cannot be renamed over.
    case stream(path: String)
    /// One of this process's open descriptors (`/dev/stdout`, `/dev/fd/N`): written as the shell
    /// opened it, so `>> log` appends and a pipe gets the bytes. Opening the name again would
    /// start at the beginning of a redirected file, and renaming over it would replace the file.
    case descriptor(Int32)

    /// `followingLinks: false` replaces a symbolic link itself (model folders, whose components
    /// may be links into a shared store that a save must not change).
    public static func resolving(_ path: String, followingLinks: Bool = true) throws(AtomicFileWriter.Failure) -> WriteDestination {
        if let descriptor = openDescriptor(named: path) { return .descriptor(descriptor) }
        var status = stat()
        if !followingLinks, lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
            return .replace(path: path, mode: nil)
        }
        if stat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG: return .replace(path: try linkTarget(of: path), mode: status.st_mode & 0o7777)
            case S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK: return .stream(path: path)
            default: break  // a folder: the rename fails and says so
            }
        }
        // Nothing to follow to yet, or a link to a file that does not exist: create what it names.
        return .replace(path: followingLinks ? try linkTarget(of: path) : path, mode: nil)
    }

    /// The descriptor a name for one of this process's open files stands for.
    private static func openDescriptor(named path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    /// The path at the end of `path`'s chain of symbolic links (itself when it is no link).
    private static func linkTarget(of path: String) throws(AtomicFileWriter.Failure) -> String {
        var current = path
        // The kernel's own limit on a chain (ELOOP): a longer one is taken for a loop.
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK,
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current)
            else { return current }
            current = target.hasPrefix("/")
                ? target
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(target).path
        }
        throw AtomicFileWriter.Failure(reason: "\(path): too many levels of symbolic links (a loop?)")
    }
}
