import ArgumentParser
import Foundation
import ImageFiles
import PoseEngine

/// The flags every headless render shares. A --session file gives the starting settings; flags
/// override them one by one.
struct SettingsOptions: ParsableArguments, ModelChoice {
    /// New settings, whose values the help of these flags, CFGOptions' and GuidanceOptions' gives as defaults.
    static let defaults = StudioSettings()

    @Option(help: ArgumentHelp("The model folder (diffusers layout: unet/, vae/, text_encoder/, ...).", discussion: defaultModelHelp))
    var model: String?

    @Option(help: "Start from the settings of a saved session file.")
    var session: String?

    @Option(help: "The text prompt (default \"\(SettingsOptions.defaults.prompt)\").")
    var prompt: String?

    @Option(help: "Pose in words: front, left, right, three-quarter left/right, profile left/right, up, down (e.g. \"up left\").")
    var pose: String?

    // The pose targets read the next argument whatever it looks like, so `--yaw -30` is a yaw,
    // and `--scale -0.1` meets the range check, rather than a missing value.
    @Option(parsing: .unconditional, help: "Target pitch in degrees, -90 to 90 (+ up).") var pitch: Float?
    @Option(parsing: .unconditional, help: "Target yaw in degrees, -180 to 180 (+ the head turns to its left, toward image right).")
    var yaw: Float?
    @Option(parsing: .unconditional, help: "Target head centre x, fraction of the width from the centre, -0.5 to 0.5 (+ right).")
    var x: Float?
    @Option(parsing: .unconditional, help: "Target head centre y, fraction of the height from the centre, -0.5 to 0.5 (+ down).")
    var y: Float?
    @Option(parsing: .unconditional, help: "Target head height / image height, 0.05 to 1.5.") var scale: Float?

    @Option(help: "Face image file (repeat for several images of one face; their embeddings are averaged).")
    var face: [String] = []
    @Option(name: .customLong("face-seed"), parsing: .unconditional, help: "A random face: the same seed is the same character.")
    var faceSeed: UInt64?
    @Option(name: .customLong("face-b"), help: "Second face image file, mixed in by --face-mix (repeatable).")
    var faceB: [String] = []
    @Option(name: .customLong("face-b-seed"), parsing: .unconditional, help: "Second face as a random face seed.")
    var faceBSeed: UInt64?
    @Option(name: .customLong("face-mix"), parsing: .unconditional, help: "0: face A only ... 1: face B only (default \(SettingsOptions.defaults.faceMix)).")
    var faceMix: Float?
    @Flag(help: "Mix faces along the great circle (spherical) instead of linearly.")
    var slerp = false
    @Option(name: .customLong("face-jitter"), parsing: .unconditional, help: "Noise added to the face embedding, 0 to 1 (default \(SettingsOptions.defaults.faceJitter)).")
    var faceJitter: Float?

    @OptionGroup var cfgWeights: CFGOptions

    @OptionGroup var guidanceWeights: GuidanceOptions

    @Option(parsing: .unconditional, help: "Sampling steps, 1 to 1000 (default \(SettingsOptions.defaults.steps)).") var steps: Int?
    @Option(help: "Sampler: \(SamplerKind.allCases.map(\.rawValue).joined(separator: ", ")) (default \(SettingsOptions.defaults.sampler.rawValue)).")
    var sampler: String?
    @Option(parsing: .unconditional, help: "DDIM eta (0 deterministic; default \(SettingsOptions.defaults.eta)).") var eta: Float?
    @Option(parsing: .unconditional, help: "Seed of the initial noise (default \(SettingsOptions.defaults.seed)).") var seed: UInt64?

    /// The --session file, read once: its settings start `settings(over:)`, its recorded face
    /// embeddings go to `engine(recorded:)`.
    func sessionFile() throws -> SessionFile? {
        guard let session else { return nil }
        let opened = try SessionFile.open(URL(fileURLWithPath: session))
        if let warning = opened.ignoredKeysWarning {
            FileHandle.standardError.write(Data("posestudio: \(warning)\n".utf8))
        }
        return opened.session
    }

    /// The settings these flags describe, over the session's when there is one.
    func settings(over sessionFile: SessionFile?) throws -> StudioSettings {
        // A face named on the command line must be there even when the settings do not read it
        // (face B at a mix of 0), so a typo is caught before it matters; one the session recorded
        // an embedding for may have moved.
        for (flag, paths) in [("--face", face), ("--face-b", faceB)] {
            for path in paths where !Self.isFile(path) && sessionFile?.faces[path] == nil {
                throw ValidationError("\(flag) \(path): no image file there")
            }
        }
        let s = try applyingFlags(to: sessionFile?.settings ?? StudioSettings())
        let problems = s.problems()
        guard problems.isEmpty else {
            // The same flags over new settings pass: the session file's values are what is wrong.
            if let session, try applyingFlags(to: StudioSettings()).problems().isEmpty {
                throw SessionSettingsError(path: session, problems: problems)
            }
            throw ValidationError(problems.joined(separator: "\n"))
        }
        return s
    }

    private static func isFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
    }

    /// `settings` with every flag given set on it.
    private func applyingFlags(to settings: StudioSettings) throws -> StudioSettings {
        var s = settings
        if let prompt { s.prompt = prompt }
        if let pose { s.targets = try PoseWords.apply(pose, to: s.targets) }
        for (quantity, value) in [(PoseQuantity.pitch, pitch), (.yaw, yaw), (.x, x), (.y, y), (.scale, scale)] {
            if let value { s.targets.steer(quantity, to: value) }
        }
        guard face.isEmpty || faceSeed == nil else { throw ValidationError("give --face or --face-seed, not both") }
        guard faceB.isEmpty || faceBSeed == nil else { throw ValidationError("give --face-b or --face-b-seed, not both") }
        if !face.isEmpty { s.face = .images(paths: face) }
        if let faceSeed { s.face = .random(seed: faceSeed) }
        if !faceB.isEmpty { s.faceB = .images(paths: faceB) }
        if let faceBSeed { s.faceB = .random(seed: faceBSeed) }
        if let faceMix { s.faceMix = faceMix }
        if slerp { s.faceMixMode = .spherical }
        if let faceJitter { s.faceJitter = faceJitter }
        cfgWeights.apply(to: &s)
        guidanceWeights.apply(to: &s)
        if let steps { s.steps = steps }
        if let sampler {
            guard let kind = SamplerKind(rawValue: sampler.lowercased()) else {
                throw ValidationError("unknown sampler \"\(sampler)\": use \(SamplerKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            s.sampler = kind
        }
        if let eta { s.eta = eta }
        if let seed { s.seed = seed }
        return s
    }

    /// The engine on --model, reading face images with `ImageInputFile`; the session's recorded face
    /// embeddings that --model's face encoder made stand in for face images no longer where it says.
    func engine(recorded sessionFile: SessionFile?) throws -> SamplingEngine {
        SamplingEngine(models: try loadStudioModels(modelPath), faceImageLoader: ImageInputFile.load,
                       faceStore: FaceEmbeddingStore(recordedIn: sessionFile))
    }
}

/// Settings in a `--session` file that cannot be rendered (edited by hand, or written by another tool).
struct SessionSettingsError: Error, CustomStringConvertible {
    let path: String
    let problems: [String]

    var description: String {
        "the settings in \(path) cannot be rendered: \(problems.joined(separator: "; ")). "
            + "Edit the file, or give the setting's flag to override it"
    }
}

extension SynthImage {
    var rgbImage: RGBImage {
        get throws { try RGBImage(width: width, height: height, pixels: pixels) }
    }
}

/// Prints `error` as one actionable line and exits non-zero (for errors that are not usage errors).
func failing<T>(_ command: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("posestudio \(command): \(error)\n".utf8))
        throw ExitCode.failure
    }
}
