@testable import PoseEngine

/// Every network the diffusion and pose-head trainers need, at a size a test trains in a blink:
/// 16x16 renders to 8x8 latents, a two-block UNet, three people with one-hot faces.
struct TinyTrainingModels {
    static let vaeConfig = AutoencoderKLConfig(blockOutChannels: [8, 8], layersPerBlock: 1, latentChannels: 4,
                                               normNumGroups: 4, sampleSize: 16, scalingFactor: 0.5)
    let vae: AutoencoderKL
    let unet: UNet2DConditionModel
    let text: TextEncoder
    let projector: FaceProjector
    let batches = SynthBatches(seed: 7, imageSize: 16, identityCount: 3, batchSize: 2)
    let faces = IdentityEmbeddings(vectors: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])

    init() throws {
        vae = try AutoencoderKL(config: Self.vaeConfig, seed: 1)
        let unetConfig = UNet2DConditionConfig(
            sampleSize: 8, blockOutChannels: [8, 16], layersPerBlock: 1,
            downBlockTypes: ["DownBlock2D", "CrossAttnDownBlock2D"], upBlockTypes: ["CrossAttnUpBlock2D", "UpBlock2D"],
            crossAttentionDim: 8, attentionHeadDim: .int(2), normNumGroups: 4)
        unet = try UNet2DConditionModel(config: unetConfig, seed: 2)
        text = try TextEncoder(config: TextEncoderConfig(vocabulary: PromptVocabulary.words, hiddenSize: 8, layers: 1, heads: 2, length: 24))
        projector = try FaceProjector(config: FaceProjectorConfig(embeddingDim: 4, hiddenDim: 8, numTokens: 3, crossAttentionDim: 8))
    }

    func diffusionTrainer(seed: UInt64) -> DiffusionTrainer {
        DiffusionTrainer(unet: unet, textEncoder: text, projector: projector, vae: vae, batches: batches, faces: faces, seed: seed)
    }

    /// A pose-head trainer on a fresh head that reads the mid block alone.
    func poseHeadTrainer(seed: UInt64) throws -> PoseHeadTrainer {
        let head = try PoseReadoutHead(config: PoseReadoutHeadConfig(inChannels: 16, featureSize: 4, bottleneckChannels: 8,
                                                                     hiddenDim: 16, timestepDim: 8, normNumGroups: 4))
        return PoseHeadTrainer(head: head, unet: unet, textEncoder: text, projector: projector, vae: vae,
                               batches: batches, faces: faces, seed: seed)
    }
}

extension PoseHeadTrainer {
    /// The logged losses of `steps` training steps on batch 0 (AdamW, learning rate 3e-3): a
    /// test's check that a head learns from the rows a setting gives it.
    func lossesTraining(steps: Int) -> [[String: Float]] {
        let optimizer = AdamW(learningRate: 3e-3, weightDecay: 0)
        return (0..<steps).map { _ in
            let losses = step(0)
            optimizer.update(head.namedParameters())
            return losses
        }
    }
}
