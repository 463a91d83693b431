import AtomicFiles
import Foundation

/// Checks a file a command will write before any work is done, so that a typo in `--out` costs
/// a message, not minutes of rendering thrown away.
enum OutputFile {
    /// Throws when `path` could not be written as a file: its folder is missing, or it is a folder.
    /// A symbolic link is checked at the file it names; a device or pipe (`/dev/stdout`) must be
    /// writable itself. `fileType` ("png") also refuses a name ending in another type's extension,
    /// since the bytes would not be what the name says.
    static func checkWritable(_ path: String, option: String = "--out", fileType: String? = nil) throws {
        guard !path.isEmpty else { throw OutputFileError(message: "\(option) needs a file name") }
        let target: String
        let destination: WriteDestination
        do { destination = try WriteDestination.resolving(path) } catch { throw OutputFileError(message: "\(option) \(error)") }
        switch destination {
        case .descriptor:
            return
        case .stream(let device):
            guard access(device, W_OK) == 0 else {
                throw OutputFileError(message: "\(option) \(path) cannot be written to")
            }
            return
        case .replace(let file, _):
            target = file
        }
        let written = URL(fileURLWithPath: path).pathExtension
        if let fileType, !written.isEmpty, written.lowercased() != fileType {
            throw OutputFileError(message: "\(option) \(path): PoseStudio writes \(fileType.uppercased()) files; name it .\(fileType)")
        }
        let url = URL(fileURLWithPath: target)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw OutputFileError(message: "\(option) \(path) is a folder: name a file in it")
        }
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw OutputFileError(message: "\(option) \(path): there is no folder \(folder) to write it in")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw OutputFileError(message: "\(option) \(path): the folder \(folder) cannot be written to")
        }
    }
}

struct OutputFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
