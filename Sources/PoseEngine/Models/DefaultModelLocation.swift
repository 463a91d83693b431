import Foundation

/// Where a command that reads a model finds it when no --model is given. In order: the folder
/// `$POSESTUDIO_MODEL` names, `Models/default` under the working directory, and `Models/default`
/// in the PoseStudio checkout the executable was built in (a folder holding Package.swift, found
/// by walking up from the executable), so that `.build/release/posestudio`, or a link to it,
/// runs on the default model from any directory.
public enum DefaultModelLocation {
    public static let relativePath = "Models/default"
    public static let environmentVariable = "POSESTUDIO_MODEL"
    /// `.build/<triple>/release/posestudio` is three folders below its checkout; five leave room
    /// for other build layouts.
    static let foldersAboveExecutable = 5

    /// Where commands look without --model, in the words of help texts and messages.
    public static let lookupOrder = "the folder $\(environmentVariable) names, else \(relativePath) in the working "
        + "directory or in the PoseStudio checkout posestudio was built in"
    /// How to point a command at a model, for messages about a missing one.
    public static let howToName = "pass --model DIR (commands that read a model also take \(lookupOrder))"

    /// The default model folder for this process.
    public static var current: URL {
        resolve(environment: ProcessInfo.processInfo.environment,
                workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
                executable: Bundle.main.executableURL)
    }

    /// `current` when it was named or holds a UNet; nil when nothing was named and no model was
    /// found, for commands that then fall back to seeded weights.
    public static var existing: URL? {
        let folder = current
        let named = self.named(in: ProcessInfo.processInfo.environment) != nil
        return named || ModelFolder(folder.path).has("unet") ? folder : nil
    }

    /// The folder `$POSESTUDIO_MODEL` names (relative to `workingDirectory`) when it is set,
    /// whether or not it exists, so that a wrong setting is reported rather than passed over;
    /// otherwise `Models/default` under `workingDirectory` when that folder exists, complete or
    /// not (a model being trained there is read, and what it lacks is named); otherwise the
    /// checkout's above `executable`; otherwise the working directory's, which the loaders then
    /// report as missing.
    public static func resolve(environment: [String: String], workingDirectory: URL, executable: URL?) -> URL {
        if let named = named(in: environment) {
            return URL(fileURLWithPath: named, relativeTo: workingDirectory).standardizedFileURL
        }
        let here = workingDirectory.appendingPathComponent(relativePath, isDirectory: true).standardizedFileURL
        if ModelFolder(here.path).exists { return here }
        if let executable, let checkout = checkout(above: executable) {
            return checkout.appendingPathComponent(relativePath, isDirectory: true).standardizedFileURL
        }
        return here
    }

    /// The nearest folder above `executable` (links followed) holding both Package.swift and
    /// Models/default.
    static func checkout(above executable: URL) -> URL? {
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0...foldersAboveExecutable {
            let isCheckout = FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path)
            if isCheckout && ModelFolder(folder.appendingPathComponent(relativePath).path).exists { return folder }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
        return nil
    }

    /// The folder `$POSESTUDIO_MODEL` names; an empty setting counts as unset.
    static func named(in environment: [String: String]) -> String? {
        environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }
}
