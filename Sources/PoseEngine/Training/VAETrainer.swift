import Foundation

/// Trains the AutoencoderKL on synthetic renders: L1 + L2 reconstruction of a
/// sample from the posterior plus a small KL term that keeps the latent
/// space smooth enough for diffusion. The reconstruction terms weigh the face more
/// than the rest of the picture (`FaceWeights`); the logged l1 and l2 are plain means,
/// comparable across weightings. An optional edge term (`EdgeLoss`) asks for the picture's
/// gradients too, where small dark features such as a photo's eyes live. Afterwards the
/// scaling factor is set to 1 / std of the latents, as Stable Diffusion's 0.18215 was chosen.
public struct VAETrainer {
    public var klWeight: Float = 1e-4
    public static let defaultFaceWeight: Float = 5
    public var faceWeights = FaceWeights(extra: defaultFaceWeight)
    /// Weight of the edge term in the loss; 0 leaves it out (it is logged either way).
    public var edgeWeight: Float = 0
    public let vae: AutoencoderKL
    public let batches: SynthBatches
    public let noiseSeed: UInt64
    /// False for a decoder-only fine-tune: the encoder is frozen and gets no gradient, so the
    /// latent space (and every model trained on it) is unchanged.
    public let trainsEncoder: Bool

    public init(vae: AutoencoderKL, batches: SynthBatches, noiseSeed: UInt64, trainsEncoder: Bool = true) {
        self.vae = vae
        self.batches = batches
        self.noiseSeed = noiseSeed
        self.trainsEncoder = trainsEncoder
        vae.setEncoderTrainable(trainsEncoder)
    }

    public static let lossColumns = ["loss", "l1", "l2", "edge", "kl"]

    /// One step's forward and backward; gradients accumulate in the VAE.
    public func step(_ index: Int) -> [String: Float] {
        let batch = batches.batch(index)
        let images = batch.images
        let channels = images.shape[1]
        let weights = faceWeights.map(poses: batch.poses, size: images.shape[3])
        let posterior = vae.encode(images)
        var generator = SeededGenerator(seed: noiseSeed &+ UInt64(index))
        let noise = Tensor.randomNormal(posterior.mean.shape, generator: &generator)
        let std = posterior.logVariance.map { expf(0.5 * $0) }
        var z = posterior.mean
        for i in 0..<z.count { z.scalars[i] += std.scalars[i] * noise.scalars[i] }
        let reconstruction = vae.decode(z)

        let n = Float(images.count)
        var l1: Float = 0, l2: Float = 0, weighted: Float = 0
        var gradReconstruction = Tensor(zeros: images.shape)
        for i in 0..<images.count {
            let d = reconstruction.scalars[i] - images.scalars[i]
            let w = FaceWeights.weight(weights, atFlat: i, channels: channels)
            l1 += abs(d)
            l2 += d * d
            weighted += w * (abs(d) + d * d)
            gradReconstruction.scalars[i] = w * ((d > 0 ? 1 : d < 0 ? -1 : 0) + 2 * d) / n
        }
        let edges = EdgeLoss.evaluate(reconstruction: reconstruction, target: images, weights: weights)
        if edgeWeight > 0 {
            for i in 0..<gradReconstruction.count { gradReconstruction.scalars[i] += edgeWeight * edges.gradient.scalars[i] }
        }
        let latentCount = Float(posterior.mean.count)
        var kl: Float = 0
        for i in 0..<posterior.mean.count {
            let m = posterior.mean.scalars[i], lv = posterior.logVariance.scalars[i]
            kl += 0.5 * (m * m + expf(lv) - 1 - lv)
        }
        let gradLatent = vae.backwardDecode(gradReconstruction)
        if trainsEncoder { backwardEncode(posterior, gradLatent: gradLatent, std: std, noise: noise) }
        let (meanL1, meanL2, meanKL) = (l1 / n, l2 / n, kl / latentCount)
        return ["loss": weighted / n + edgeWeight * edges.value + klWeight * meanKL, "l1": meanL1, "l2": meanL2,
                "edge": edges.plain, "kl": meanKL]
    }

    /// The encoder's gradients: the reconstruction's through the sample z = m + exp(lv/2) * e,
    /// plus the KL term's.
    private func backwardEncode(_ posterior: LatentDistribution, gradLatent: Tensor, std: Tensor, noise: Tensor) {
        let latentCount = Float(posterior.mean.count)
        var gradMean = gradLatent
        var gradLogVar = Tensor(zeros: posterior.mean.shape)
        for i in 0..<posterior.mean.count {
            let m = posterior.mean.scalars[i], lv = posterior.logVariance.scalars[i]
            gradLogVar.scalars[i] = gradLatent.scalars[i] * 0.5 * std.scalars[i] * noise.scalars[i]
                + klWeight * 0.5 * (expf(lv) - 1) / latentCount
            gradMean.scalars[i] += klWeight * m / latentCount
        }
        _ = vae.backwardEncode(mean: gradMean, logVariance: gradLogVar)
    }

    /// Sample indices far past any step's batch: renders the training never uses, for the
    /// preview sheet and for the held-out error.
    static let previewSamples = 1_000_000, heldOutSamples = 2_000_000

    /// Originals (top row) over their reconstructions from the posterior mean (bottom row),
    /// as one RGB8 picture, for renders the training never uses.
    public func reconstructionSheet(count: Int = 8) -> (pixels: [UInt8], width: Int, height: Int) {
        let samples = batches.dataset.samples(Self.previewSamples..<(Self.previewSamples + count))
        let images = SynthBatch(samples).images
        return ImageTensor.sheet(rows: [images, vae.reconstruct(images)])
    }

    /// Mean absolute error of `model`'s reconstructions (from the posterior mean) of `count`
    /// renders the training never uses, in [-1, 1] pixel units like the logged l1. `model` may
    /// be another VAE than the one trained, to compare with.
    public func heldOutL1(of model: AutoencoderKL, count: Int) -> Float {
        let chunk = 16, end = Self.heldOutSamples + count
        var sum: Double = 0, n: Double = 0
        for start in stride(from: Self.heldOutSamples, to: end, by: chunk) {
            let images = SynthBatch(batches.dataset.samples(start..<min(start + chunk, end))).images
            sum += model.reconstruct(images).sumAbsDifference(images)
            n += Double(images.count)
        }
        return Float(sum / max(n, 1))
    }

    /// 1 / std of posterior means over `count` fresh renders.
    public func measureScalingFactor(batches count: Int, from start: Int) -> Float {
        var sum: Double = 0, squares: Double = 0, n: Double = 0
        for i in start..<(start + count) {
            for v in vae.encode(batches.batch(i).images).mean.scalars {
                sum += Double(v)
                squares += Double(v) * Double(v)
                n += 1
            }
        }
        let mean = sum / n
        let std = (squares / n - mean * mean).squareRoot()
        return Float(1 / max(std, 1e-6))
    }
}
