import Foundation

/// Trains the UNet jointly with the text encoder and the Face0 projector on
/// VAE latents of synthetic renders (epsilon prediction, SD's scaled-linear
/// schedule). Per sample, the face tokens are zeroed with probability
/// `faceDropRate` (Face0) and the prompt is replaced by the empty prompt with
/// probability `promptDropRate`, independently, so the four conditionings
/// of the 3-way guidance (none, text, face, both) are all learned. The noise
/// error counts more on the face's latents (`faceWeights`), for the same reason
/// as in the VAE's training: the face is small and the texture around it is not;
/// the log keeps the plain mean squared error beside the weighted loss.
public struct DiffusionTrainer {
    public let unet: UNet2DConditionModel
    public let textEncoder: TextEncoder
    public let projector: FaceProjector
    public let vae: AutoencoderKL
    public let batches: SynthBatches
    public let faces: IdentityEmbeddings
    public let seed: UInt64
    public var faceDropRate: Float = 0.1
    public var promptDropRate: Float = 0.15
    public var faceJitter: Float = 0.05
    public static let defaultFaceWeight: Float = 2
    public var faceWeights = FaceWeights(extra: defaultFaceWeight)

    public static let lossColumns = ["loss", "mse"]
    public static let trainTimesteps = 1000

    /// `count` training timesteps, uniform below `limit`.
    static func drawTimesteps(_ count: Int, below limit: Int = trainTimesteps, generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float(Int(generator.next() % UInt64(limit))) }
    }

    /// x_t = sqrt(abar) x0 + sqrt(1 - abar) eps, each row of `latents` [N, ...] at its own timestep.
    static func noised(_ latents: Tensor, noise: Tensor, timesteps: [Float]) -> Tensor {
        var noisy = latents
        let plane = latents.count / timesteps.count
        for (row, t) in timesteps.enumerated() {
            let abar = alphasCumprod[Int(t)]
            let (a, b) = (abar.squareRoot(), (1 - abar).squareRoot())
            for i in (row * plane)..<((row + 1) * plane) { noisy.scalars[i] = a * latents.scalars[i] + b * noise.scalars[i] }
        }
        return noisy
    }

    /// The schedule the default model is trained and sampled with (SD's scaled-linear, 1000 steps).
    public static let schedule: NoiseSchedule? = try? NoiseSchedule(config: .stableDiffusion)
    public static let alphasCumprod: [Float] = (schedule?.alphasCumprod ?? []).map(Float.init)

    public init(unet: UNet2DConditionModel, textEncoder: TextEncoder, projector: FaceProjector, vae: AutoencoderKL,
                batches: SynthBatches, faces: IdentityEmbeddings, seed: UInt64) {
        self.unet = unet
        self.textEncoder = textEncoder
        self.projector = projector
        self.vae = vae
        self.batches = batches
        self.faces = faces
        self.seed = seed
        vae.setRequiresGradient(false)
    }

    public func step(_ index: Int) -> [String: Float] {
        let batch = batches.batch(index)
        let n = batch.prompts.count
        var generator = SeededGenerator(seed: seed &+ UInt64(index) &* 0x9E37)
        let latents = vae.encode(batch.images).mean * vae.config.scalingFactor

        // Conditioning with independent dropout of prompt and face.
        let prompts = batch.prompts.map { generator.nextUniform() < promptDropRate ? "" : $0 }
        let keepFace = (0..<n).map { _ in generator.nextUniform() >= faceDropRate }
        var embeddings = Tensor(zeros: [n, projector.config.embeddingDim])
        for (row, identity) in batch.identityIndices.enumerated() {
            var v = faces.vectors[identity].map { $0 + faceJitter * generator.nextGaussian() }
            v = FaceEmbedding.normalized(v)
            for j in 0..<v.count { embeddings.scalars[row * v.count + j] = v[j] }
        }
        let text = textEncoder.encode(prompts)
        let faceTokens = projector.forward(embeddings)
        let context = FaceConditioning.replaceLastTokens(of: text, with: faceTokens, keep: keepFace)

        // x_t = sqrt(abar) x0 + sqrt(1 - abar) eps, t uniform.
        let noise = Tensor.randomNormal(latents.shape, generator: &generator)
        let timesteps = Self.drawTimesteps(n, generator: &generator)
        let noisy = Self.noised(latents, noise: noise, timesteps: timesteps)

        let prediction = unet.forward(noisy, timesteps: timesteps, context: context).sample
        let side = latents.shape[3], channels = latents.shape[1]
        let weights = faceWeights.map(poses: batch.poses, size: side)
        var loss: Float = 0, squares: Float = 0
        var gradPrediction = Tensor(uninitialized: prediction.shape)
        let count = Float(prediction.count)
        for i in 0..<prediction.count {
            let d = prediction.scalars[i] - noise.scalars[i]
            let w = FaceWeights.weight(weights, atFlat: i, channels: channels)
            squares += d * d
            loss += w * d * d
            gradPrediction.scalars[i] = 2 * w * d / count
        }
        let gradContext = unet.backward(gradPrediction).context
        let (gradText, gradFace) = FaceConditioning.splitGradient(gradContext, faceTokens: projector.config.numTokens, keep: keepFace)
        textEncoder.backward(gradText)
        _ = projector.backward(gradFace)
        return ["loss": loss / count, "mse": squares / count]
    }

    /// Held-out renders (top row) over samples generated for their prompts and
    /// identities (DDIM, 20 steps, classifier-free guidance 5 on text and face together).
    public func previewSheet(count: Int = 8, steps: Int = 20, guidance: Float = 5) -> (pixels: [UInt8], width: Int, height: Int) {
        guard let schedule = Self.schedule else { return ([], 0, 0) }
        let samples = batches.dataset.samples(2_000_000..<(2_000_000 + count))
        let reference = SynthBatch(samples)
        let n = samples.count
        let embeddings = Tensor(shape: [n, projector.config.embeddingDim], scalars: reference.identityIndices.flatMap { faces.vectors[$0] })
        let conditioned = FaceConditioning.replaceLastTokens(
            of: textEncoder.encode(reference.prompts), with: projector.forward(embeddings), keep: Array(repeating: true, count: n))
        let unconditioned = FaceConditioning.replaceLastTokens(
            of: textEncoder.encode(Array(repeating: "", count: n)), with: projector.forward(embeddings), keep: Array(repeating: false, count: n))
        let context = Tensor(shape: [2 * n] + Array(conditioned.shape.dropFirst()), scalars: unconditioned.scalars + conditioned.scalars)
        var generator = SeededGenerator(seed: 77)
        let side = unet.config.sampleSize
        var scheduler = DDIMScheduler(schedule: schedule, steps: steps)
        var latent = Tensor.randomNormal([n, unet.config.inChannels, side, side], generator: &generator)
        for index in scheduler.timesteps.indices {
            let t = Float(scheduler.timesteps[index])
            let doubled = Tensor(shape: [2 * n] + Array(latent.shape.dropFirst()), scalars: latent.scalars + latent.scalars)
            let eps = unet.forward(doubled, timesteps: Array(repeating: t, count: 2 * n), context: context).sample
            let half = latent.count
            var guided = Tensor(shape: latent.shape, scalars: Array(eps.scalars[0..<half]))
            for i in 0..<half { guided.scalars[i] += guidance * (eps.scalars[half + i] - guided.scalars[i]) }
            latent = scheduler.step(latent, eps: guided, step: index, generator: &generator)
        }
        let images = vae.decode(latent * (1 / vae.config.scalingFactor))
        return ImageTensor.sheet(rows: [reference.images, images])
    }
}
