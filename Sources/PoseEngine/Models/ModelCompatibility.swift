/// Whether separately trained components fit together: each one's output has the size the next
/// one reads. Loaded alone, every component is valid; a folder mixing two models (a VAE with 8
/// latent channels under a UNet that takes 4) would only fail deep inside a forward pass.
public enum ModelCompatibility {
    /// What does not fit, said with the config names; empty when everything does.
    ///
    /// `forTraining` adds the one check only training needs: that the UNet's `sample_size` is the
    /// VAE's latent size. Training renders the world at the VAE's `sample_size` and fits the UNet
    /// to those latents. Sampling takes its latent size from the UNet and the VAE is fully
    /// convolutional, so a VAE whose config states another nominal size still renders.
    public static func problems(unet: UNet2DConditionConfig, vae: AutoencoderKLConfig, textEncoder: TextEncoderConfig,
                                faceProjector: FaceProjectorConfig, faceEncoder: ConvEncoderConfig? = nil,
                                poseHead: PoseReadoutHeadConfig? = nil, forTraining: Bool = false) -> [String] {
        var problems: [String] = []
        func check(_ fits: Bool, _ problem: @autoclosure () -> String) { if !fits { problems.append(problem()) } }
        check(unet.inChannels == vae.latentChannels && unet.outChannels == vae.latentChannels,
              "unet in/out_channels \(unet.inChannels)/\(unet.outChannels) differ from vae latent_channels \(vae.latentChannels)")
        check(!forTraining || unet.sampleSize == vae.latentSize,
              "unet sample_size \(unet.sampleSize) differs from the \(vae.latentSize)x\(vae.latentSize) latents of the vae's "
              + "\(vae.sampleSize)x\(vae.sampleSize) images")
        check(textEncoder.hiddenSize == unet.crossAttentionDim,
              "text_encoder hidden_size \(textEncoder.hiddenSize) differs from unet cross_attention_dim \(unet.crossAttentionDim)")
        check(faceProjector.crossAttentionDim == unet.crossAttentionDim,
              "face_projector cross_attention_dim \(faceProjector.crossAttentionDim) differs from unet's \(unet.crossAttentionDim)")
        if let faceEncoder {
            check(faceEncoder.outputDim == faceProjector.embeddingDim,
                  "face_encoder output_dim \(faceEncoder.outputDim) differs from face_projector embedding_dim \(faceProjector.embeddingDim)")
        }
        if let poseHead { problems += poseHeadProblems(poseHead, named: "pose_head", unet: unet) }
        return problems
    }

    /// Whether a pose head (`name` is its folder, for the messages) reads the shapes `unet`'s
    /// mid block and skips have.
    public static func poseHeadProblems(_ head: PoseReadoutHeadConfig, named name: String, unet: UNet2DConditionConfig) -> [String] {
        var problems: [String] = []
        func check(_ fits: Bool, _ problem: @autoclosure () -> String) { if !fits { problems.append(problem()) } }
        let deepest = unet.blockOutChannels.last ?? 0
        check(head.inChannels == deepest, "\(name) in_channels \(head.inChannels) differ from the unet mid block's \(deepest) channels")
        let side = PoseReadoutHeadConfig.midBlockSide(of: unet)
        check(head.featureSize == side, "\(name) feature_size \(head.featureSize) differs from the unet mid block's side \(side)")
        let skips = unet.skipShapes
        for read in head.skipReads {
            let actual = skips.indices.contains(read.index) ? skips[read.index] : nil
            check(actual == .init(channels: read.channels, side: read.side),
                  "\(name) reads skip \(read.index) as \(read.channels) channels at side \(read.side), but the unet's is "
                  + (actual.map { "\($0.channels) channels at side \($0.side)" } ?? "missing (it has \(skips.count) skips)"))
        }
        return problems
    }

    /// Why the judge cannot read this VAE's decodings, or nil when it can: it reads images of
    /// one size only, and round trips, the benches and `train judge` all hand it decodings.
    public static func judgeSizeMismatch(judgeImageSize: Int, vae: AutoencoderKLConfig) -> String? {
        judgeImageSize == vae.sampleSize ? nil
            : "the judge reads \(judgeImageSize)px images and the VAE makes \(vae.sampleSize)px ones"
    }
}
