import AtomicFiles
import Foundation

/// A PoseStudio model folder (Models/default or one a user names): one
/// diffusers-style subfolder per component.
public struct ModelFolder: Sendable {
    public let url: URL

    public init(_ path: String) {
        url = URL(fileURLWithPath: path)
    }

    public func componentURL(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Whether the folder itself is there (a directory), complete or not.
    public var exists: Bool { Self.isFolder(url) }

    /// Whether the folder holds component `name` (its config.json).
    public func has(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: componentURL(name).appendingPathComponent("config.json").path)
    }

    /// Loads component `name`, or says which command makes it when it is missing.
    public func load<Component: DiffusersComponent>(_ type: Component.Type, _ name: String) throws -> Component {
        guard exists else { throw ModelFolderError.missingFolder(folder: url.path, wanted: name) }
        guard has(name) else {
            guard Self.isFolder(componentURL(name)) else { throw ModelFolderError.missingComponent(name: name, folder: url.path) }
            throw ModelFolderError.missingConfig(path: componentURL(name).appendingPathComponent("config.json").path)
        }
        return try Component.load(from: componentURL(name))
    }

    private static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// diffusers' scheduler_config.json for the noise schedule the default model is trained with.
    public func writeSchedulerConfig() throws {
        let folder = componentURL("scheduler")
        try FolderMaker.make(folder)
        let json = """
        {
          "_class_name": "DDIMScheduler",
          "num_train_timesteps": 1000,
          "beta_start": 0.00085,
          "beta_end": 0.012,
          "beta_schedule": "scaled_linear",
          "prediction_type": "epsilon",
          "timestep_spacing": "leading",
          "steps_offset": 1,
          "set_alpha_to_one": false,
          "clip_sample": false
        }

        """
        let writer = try AtomicFileWriter(path: folder.appendingPathComponent("scheduler_config.json").path, followingLinks: false)
        try writer.write(Array(json.utf8))
        try writer.commit()
    }
}

public enum ModelFolderError: Error, CustomStringConvertible {
    case missingComponent(name: String, folder: String)
    /// The component's folder is there, its config.json is not.
    case missingConfig(path: String)
    case missingFolder(folder: String, wanted: String)

    public var description: String {
        switch self {
        case .missingComponent(let name, let folder):
            return "\(folder) has no \(name)/ component; train it with `posestudio train \(name)` or pass --model with a complete folder"
        case .missingConfig(let path):
            return "there is no \(path): a component folder needs its config.json beside its weights"
        case .missingFolder(let folder, let wanted):
            return "there is no model folder at \(folder) (it was to hold \(wanted)/): " + DefaultModelLocation.howToName
        }
    }
}
