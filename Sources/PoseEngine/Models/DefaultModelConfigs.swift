/// The configurations of PoseStudio's default model: a Stable Diffusion layout
/// scaled down to 64x64 RGB images and 16x16x4 latents. The reference scripts
/// in tools/reference hold the same values as diffusers config files.
public enum DefaultModelConfigs {
    public static let unet = UNet2DConditionConfig(
        sampleSize: 16, blockOutChannels: [64, 128, 128], layersPerBlock: 1,
        downBlockTypes: ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
        upBlockTypes: ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
        crossAttentionDim: 128, attentionHeadDim: .int(4), normNumGroups: 32)

    public static let vae = AutoencoderKLConfig(
        blockOutChannels: [32, 64, 128], layersPerBlock: 1, latentChannels: 4, normNumGroups: 32,
        sampleSize: 64, scalingFactor: 0.18215)

    /// Text context length (tokens) the default model is conditioned on.
    public static let contextTokens = 16
}
