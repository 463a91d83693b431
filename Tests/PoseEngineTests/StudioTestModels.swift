import Foundation
@testable import PoseEngine

/// A complete studio model with tiny random weights (16x16 images, 8x8x4 latents): every code
/// path of sampling runs in milliseconds.
enum StudioTestModels {
    static let configs = StudioModelConfigs(
        unet: UNet2DConditionConfig(
            sampleSize: 8, blockOutChannels: [16, 32], layersPerBlock: 1,
            downBlockTypes: ["DownBlock2D", "CrossAttnDownBlock2D"], upBlockTypes: ["CrossAttnUpBlock2D", "UpBlock2D"],
            crossAttentionDim: 32, attentionHeadDim: .int(2), normNumGroups: 8),
        vae: AutoencoderKLConfig(blockOutChannels: [8, 16], layersPerBlock: 1, latentChannels: 4, normNumGroups: 4,
                                 sampleSize: 16, scalingFactor: 0.18215),
        textEncoder: TextEncoderConfig(vocabulary: PromptVocabulary.words, hiddenSize: 32, layers: 1, heads: 2, length: 10),
        faceEncoder: ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4, outputDim: 8, hiddenDim: 16),
        faceProjector: FaceProjectorConfig(embeddingDim: 8, hiddenDim: 16, numTokens: 3, crossAttentionDim: 32),
        poseHead: PoseReadoutHeadConfig(inChannels: 32, featureSize: 4, bottleneckChannels: 16, hiddenDim: 16,
                                        timestepDim: 16, normNumGroups: 8),
        judge: ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4, outputDim: 5, hiddenDim: 16))

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
