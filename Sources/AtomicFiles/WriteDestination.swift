import Foundation

/// Where the bytes for a path really go, decided before writing.
///
/// Replacing a file by renaming a finished copy over it is what keeps saves whole, but a rename
/// acts on the name, not on what the name points to: over a symbolic link it would replace the
/// link, and over a device or pipe (`--out /dev/stdout`) it would put a plain file in its place.
public enum WriteDestination: Equatable, Sendable {
    /// A regular file, or none yet: replaced whole by a rename. `mode` is the existing file's
    /// permission bits, which the replacement keeps.
    case replace(path: String, mode: mode_t?)
    /// A device, pipe or socket: opened and written in place, since it cannot be renamed over.
    case stream(path: String)

    /// Follows symbolic links to the file they name, so a rename replaces that file.
    public static func resolving(_ path: String) -> WriteDestination {
        var status = stat()
        if stat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG: return .replace(path: linkTarget(of: path), mode: status.st_mode & 0o7777)
            case S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK: return .stream(path: path)
            default: break  // a folder: the rename fails and says so
            }
        }
        // Nothing to follow to yet, or a link to a file that does not exist: create what it names.
        return .replace(path: linkTarget(of: path), mode: nil)
    }

    /// The path at the end of `path`'s chain of symbolic links (itself when it is no link).
    /// Gives up after 40 links, as the kernel does, and then leaves the last name it reached.
    private static func linkTarget(of path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK,
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current)
            else { return current }
            current = target.hasPrefix("/")
                ? target
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(target).path
        }
        return current
    }
}
