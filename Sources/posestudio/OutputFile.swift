import Foundation

/// Checks a file a command will write before any work is done, so that a typo in `--out` costs
/// a message, not minutes of rendering thrown away.
enum OutputFile {
    /// Throws when `path` could not be written as a file: its folder is missing, or it is a folder.
    static func checkWritable(_ path: String, option: String = "--out") throws {
        let url = URL(fileURLWithPath: path)
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
