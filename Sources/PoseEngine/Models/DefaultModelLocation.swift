import Foundation

/// Where a command finds its model when no --model is given. In order: the folder
/// `$POSESTUDIO_MODEL` names, `Models/default` under the working directory, and `Models/default`
/// in the checkout the executable was built in, found by walking up from the executable, so
/// that `.build/release/posestudio` (or a link to it) runs on the default model from any
/// directory.
public enum DefaultModelLocation {
    public static let relativePath = "Models/default"
    public static let environmentVariable = "POSESTUDIO_MODEL"
    /// `.build/<triple>/release/posestudio` is three folders below its checkout; six leave room for
    /// other build layouts.
    static let levelsAboveExecutable = 6

    /// The default model folder for this process.
    public static var current: URL {
        resolve(environment: ProcessInfo.processInfo.environment,
                workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
                executable: Bundle.main.executableURL)
    }

    /// `current` when it holds a model (a UNet), for commands that fall back to seeded weights.
    public static var existing: URL? {
        let folder = current
        return holdsModel(folder) ? folder : nil
    }

    /// The folder `$POSESTUDIO_MODEL` names (relative to `workingDirectory`) when it is set,
    /// whether or not it holds a model, so that a wrong setting is reported rather than passed
    /// over; otherwise the first `Models/default` holding a UNet, under `workingDirectory` or
    /// above `executable`; otherwise `Models/default` under `workingDirectory`, which the
    /// loaders then report as missing.
    public static func resolve(environment: [String: String], workingDirectory: URL, executable: URL?) -> URL {
        if let named = environment[environmentVariable], !named.isEmpty {
            return URL(fileURLWithPath: named, relativeTo: workingDirectory).standardizedFileURL
        }
        let here = workingDirectory.appendingPathComponent(relativePath, isDirectory: true).standardizedFileURL
        if holdsModel(here) { return here }
        if let executable {
            var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<levelsAboveExecutable {
                let candidate = folder.appendingPathComponent(relativePath, isDirectory: true).standardizedFileURL
                if holdsModel(candidate) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return here
    }

    static func holdsModel(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("unet/config.json").path)
    }
}
