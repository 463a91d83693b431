import Foundation

/// Checks a folder a command will write into (a training run's `--model` and `--runs`) before
/// any work is done: a run finding it out only when it saves has spent its steps for nothing.
enum OutputFolder {
    /// Throws when `path` is a file, or is a folder (or, when missing, would be made in one)
    /// that cannot be written.
    static func checkWritable(_ path: String, option: String) throws {
        guard !path.isEmpty else { throw OutputFileError(message: "\(option) needs a folder name") }
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var isFolder: ObjCBool = false
        // The folder itself, or the nearest one above it that exists: the run creates the rest.
        while !FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
            url.deleteLastPathComponent()
        }
        guard isFolder.boolValue else {
            let what = url.path == URL(fileURLWithPath: path).standardizedFileURL.path ? "is a file" : "lies under the file \(url.path)"
            throw OutputFileError(message: "\(option) \(path) \(what), not a folder: name a folder")
        }
        guard FileManager.default.isWritableFile(atPath: url.path) else {
            throw OutputFileError(message: "\(option) \(path): the folder \(url.path) cannot be written to")
        }
    }
}
