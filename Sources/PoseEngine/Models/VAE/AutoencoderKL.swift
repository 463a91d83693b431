/// The diagonal Gaussian an image encodes to.
public struct LatentDistribution: Sendable {
    public var mean: Tensor
    /// Clamped to [-30, 20] as diffusers does.
    public var logVariance: Tensor
}

/// diffusers' AutoencoderKL: encoder + quant_conv to latent moments,
/// post_quant_conv + decoder back to pixels. Latents here are unscaled: the
/// diffusion model works on `mean * scalingFactor`.
public final class AutoencoderKL: ParameterVisitable {
    public var config: AutoencoderKLConfig
    let encoder: VAEEncoder
    let decoder: VAEDecoder
    let quantConv: Conv2d?
    let postQuantConv: Conv2d?
    private var clampedLogVariance: Tensor?

    public init(config: AutoencoderKLConfig, seed: UInt64 = 0) throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw ModelConfigError.unsupported(model: "AutoencoderKL", problems: problems) }
        self.config = config
        var generator = SeededGenerator(seed: seed)
        encoder = VAEEncoder(config: config, generator: &generator)
        decoder = VAEDecoder(config: config, generator: &generator)
        let moments = 2 * config.latentChannels
        quantConv = config.useQuantConv ? Conv2d(moments, moments, kernel: 1, generator: &generator) : nil
        postQuantConv = config.usePostQuantConv
            ? Conv2d(config.latentChannels, config.latentChannels, kernel: 1, generator: &generator) : nil
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(encoder, as: "encoder", visit)
        PoseEngine.visit(decoder, as: "decoder", visit)
        PoseEngine.visit(quantConv, as: "quant_conv", visit)
        PoseEngine.visit(postQuantConv, as: "post_quant_conv", visit)
    }

    /// Whether the encoder side (encoder and quant_conv) trains. Frozen, the latents stay
    /// exactly what a UNet was trained on while the decoder learns to draw them better.
    public func setEncoderTrainable(_ trainable: Bool) {
        encoder.setRequiresGradient(trainable)
        quantConv?.setRequiresGradient(trainable)
    }

    /// Image [N, 3, H, W] in [-1, 1] -> latent distribution [N, L, H/f, W/f].
    public func encode(_ image: Tensor) -> LatentDistribution {
        let h = encoder.forward(image)
        let moments = quantConv?.forward(h) ?? h
        var (mean, logVariance) = Layout.splitChannels(moments, first: config.latentChannels)
        clampedLogVariance = logVariance
        logVariance = logVariance.map { min(max($0, -30), 20) }
        return LatentDistribution(mean: mean, logVariance: logVariance)
    }

    /// Back-propagates gradients on the mean and log-variance of the last `encode` to the image.
    public func backwardEncode(mean gradMean: Tensor, logVariance gradLogVariance: Tensor? = nil) -> Tensor {
        let raw = requireCached(clampedLogVariance, "AutoencoderKL.encode")
        var dLogVar = gradLogVariance ?? Tensor(zeros: raw.shape)
        for i in 0..<dLogVar.count where raw.scalars[i] < -30 || raw.scalars[i] > 20 { dLogVar.scalars[i] = 0 }
        let dMoments = Layout.concatChannels(gradMean, dLogVar)
        return encoder.backward(quantConv?.backward(dMoments) ?? dMoments)
    }

    /// Images through the posterior mean and back: what the VAE keeps of them.
    public func reconstruct(_ images: Tensor) -> Tensor {
        decode(encode(images).mean)
    }

    /// Unscaled latent [N, L, h, w] -> image [N, 3, h*f, w*f].
    public func decode(_ latent: Tensor) -> Tensor {
        decoder.forward(postQuantConv?.forward(latent) ?? latent)
    }

    public func backwardDecode(_ gradImage: Tensor) -> Tensor {
        let d = decoder.backward(gradImage)
        return postQuantConv?.backward(d) ?? d
    }
}
