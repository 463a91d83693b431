/// The configurations of PoseStudio's default model: a Stable Diffusion layout
/// scaled down to 64x64 RGB images and 16x16x4 latents. tools/reference holds
/// the UNet and VAE values as diffusers config files too.
public enum DefaultModelConfigs {
    public static let imageSize = 64

    public static let unet = UNet2DConditionConfig(
        sampleSize: 16, blockOutChannels: [64, 128, 128], layersPerBlock: 1,
        downBlockTypes: ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
        upBlockTypes: ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
        crossAttentionDim: 128, attentionHeadDim: .int(4), normNumGroups: 32)

    public static let vae = AutoencoderKLConfig(
        blockOutChannels: [32, 64, 128], layersPerBlock: 1, latentChannels: 4, normNumGroups: 8,
        sampleSize: imageSize, scalingFactor: 0.18215)

    /// Text context length: room for the longest synthetic prompt (22 words
    /// plus start and end) with the last 3 positions taken by Face0's face tokens.
    public static let contextTokens = 24

    public static let textEncoder = TextEncoderConfig(
        vocabulary: PromptVocabulary.words, hiddenSize: unet.crossAttentionDim, layers: 2, heads: 4, length: contextTokens)

    public static let faceEmbeddingDim = 64

    public static let faceEncoder = ConvEncoderConfig(
        imageSize: imageSize, blockOutChannels: [32, 64, 128, 128], normNumGroups: 8,
        outputDim: faceEmbeddingDim, hiddenDim: 128)

    public static let faceProjector = FaceProjectorConfig(
        embeddingDim: faceEmbeddingDim, hiddenDim: 256, numTokens: 3, crossAttentionDim: unet.crossAttentionDim)

    public static let poseHead = PoseReadoutHeadConfig(readingMidBlockOf: unet, skips: unet.blockOutputSkips)

    public static let judge = ConvEncoderConfig(
        imageSize: imageSize, blockOutChannels: [32, 64, 128, 128], normNumGroups: 8,
        outputDim: PoseValues.count, hiddenDim: 256)
}
