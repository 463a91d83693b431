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
}
