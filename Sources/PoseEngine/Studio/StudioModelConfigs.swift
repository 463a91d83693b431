/// The configuration of every component of a studio model folder.
public struct StudioModelConfigs: Sendable {
    public var unet: UNet2DConditionConfig
    public var vae: AutoencoderKLConfig
    public var textEncoder: TextEncoderConfig
    public var faceEncoder: ConvEncoderConfig
    public var faceProjector: FaceProjectorConfig
    public var poseHead: PoseReadoutHeadConfig
    public var judge: ConvEncoderConfig

    public init(unet: UNet2DConditionConfig, vae: AutoencoderKLConfig, textEncoder: TextEncoderConfig,
                faceEncoder: ConvEncoderConfig, faceProjector: FaceProjectorConfig, poseHead: PoseReadoutHeadConfig,
                judge: ConvEncoderConfig) {
        (self.unet, self.vae, self.textEncoder, self.faceEncoder) = (unet, vae, textEncoder, faceEncoder)
        (self.faceProjector, self.poseHead, self.judge) = (faceProjector, poseHead, judge)
    }

    /// The default model's layout (what Models/default holds once trained).
    public static let standard = StudioModelConfigs(
        unet: DefaultModelConfigs.unet, vae: DefaultModelConfigs.vae, textEncoder: DefaultModelConfigs.textEncoder,
        faceEncoder: DefaultModelConfigs.faceEncoder, faceProjector: DefaultModelConfigs.faceProjector,
        poseHead: DefaultModelConfigs.poseHead, judge: DefaultModelConfigs.judge)

    /// A miniature of the same layout (16x16 pictures, 8x8x4 latents) whose every code path runs
    /// in milliseconds: for tests and smoke runs of the studio and the headless commands.
    public static let miniature = StudioModelConfigs(
        unet: miniatureUNet,
        vae: AutoencoderKLConfig(blockOutChannels: [8, 16], layersPerBlock: 1, latentChannels: 4, normNumGroups: 4,
                                 sampleSize: 16, scalingFactor: 0.18215),
        textEncoder: TextEncoderConfig(vocabulary: PromptVocabulary.words, hiddenSize: 32, layers: 1, heads: 2, length: 10),
        faceEncoder: ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4, outputDim: 8, hiddenDim: 16),
        faceProjector: FaceProjectorConfig(embeddingDim: 8, hiddenDim: 16, numTokens: 3, crossAttentionDim: 32),
        poseHead: miniatureHead(reading: miniatureUNet),
        judge: ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4, outputDim: 5, hiddenDim: 16))

    private static let miniatureUNet = UNet2DConditionConfig(
        sampleSize: 8, blockOutChannels: [16, 32], layersPerBlock: 1,
        downBlockTypes: ["DownBlock2D", "CrossAttnDownBlock2D"], upBlockTypes: ["CrossAttnUpBlock2D", "UpBlock2D"],
        crossAttentionDim: 32, attentionHeadDim: .int(2), normNumGroups: 8)

    /// A small head reading the miniature UNet as the default head reads the default UNet:
    /// the mid block and each down block's output above the mid block's side.
    private static func miniatureHead(reading unet: UNet2DConditionConfig) -> PoseReadoutHeadConfig {
        var head = PoseReadoutHeadConfig(readingMidBlockOf: unet, skips: unet.blockOutputSkips)
        (head.bottleneckChannels, head.hiddenDim, head.timestepDim) = (16, 16, 16)
        return head
    }
}
