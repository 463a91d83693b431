import Foundation
@testable import PoseEngine

/// A complete studio model with tiny random weights (16x16 images, 8x8x4 latents): every code
/// path of sampling runs in milliseconds.
enum StudioTestModels {
    static let configs = StudioModelConfigs.miniature

    static func models(seed: UInt64 = 3) throws -> StudioModels {
        try StudioModels.random(configs, seed: seed)
    }

    /// Writes the tiny model as a model folder into a new temporary directory.
    static func folder(seed: UInt64 = 3) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-tiny-\(UUID().uuidString)")
        try models(seed: seed).save(to: url)
        return url
    }

    /// Face "files" for tests: path -> a synthetic render of the person numbered in the path.
    static let faceLoader: FaceImageLoader = { path in
        guard let number = Int(path.filter(\.isNumber)) else { throw StudioError.faceImageUnreadable(path: path, reason: "no such test face") }
        return SynthDataset(seed: 1, imageSize: 16, identityCount: 50).samples(number..<(number + 1), threads: 1)[0].image
    }

    /// A sampling engine on the tiny model, reading faces with `faceLoader`.
    static func engine() throws -> SamplingEngine {
        SamplingEngine(models: try models(), faceImageLoader: faceLoader)
    }

    /// The pixels of the test settings, changed by `edit`, rendered over `steps` steps.
    static func picture(steps: Int = 6, _ edit: (inout StudioSettings) -> Void) throws -> [UInt8] {
        var settings = settings(steps: steps)
        edit(&settings)
        return try engine().render(settings).image.pixels
    }

    static func settings(steps: Int = 4, seed: UInt64 = 1) -> StudioSettings {
        var s = StudioSettings()
        s.prompt = "a photo of a smiling person with glasses"
        s.steps = steps
        s.previewSteps = 2
        s.seed = seed
        s.face = .random(seed: 9)
        s.targets.steer(.yaw, to: 30)
        return s
    }
}
