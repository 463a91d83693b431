import Foundation

/// Trains the UNet jointly with the text encoder and the Face0 projector on
/// VAE latents of synthetic renders (epsilon prediction, SD's scaled-linear
/// schedule). Per sample, the face tokens are zeroed with probability
/// `faceDropRate` (Face0) and the prompt is replaced by the empty prompt with
/// probability `promptDropRate`, independently, so the four conditionings
/// of the 3-way guidance (none, text, face, both) are all learned.
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

    public static let lossColumns = ["loss"]
    public static let trainTimesteps = 1000

    /// SD's scaled-linear betas: linspace(sqrt(0.00085), sqrt(0.012), 1000)^2.
    public static let alphasCumprod: [Float] = {
        var product: Double = 1
        return (0..<trainTimesteps).map { i in
            let root = 0.00085.squareRoot() + (0.012.squareRoot() - 0.00085.squareRoot()) * Double(i) / Double(trainTimesteps - 1)
            product *= 1 - root * root
            return Float(product)
        }
    }()

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
            v = IdentityEmbeddings.normalized(v)
            for j in 0..<v.count { embeddings.scalars[row * v.count + j] = v[j] }
        }
        let text = textEncoder.encode(prompts)
        let faceTokens = projector.forward(embeddings)
        let context = FaceConditioning.replaceLastTokens(of: text, with: faceTokens, keep: keepFace)

        // x_t = sqrt(abar) x0 + sqrt(1 - abar) eps, t uniform.
        let noise = Tensor.randomNormal(latents.shape, generator: &generator)
        let timesteps = (0..<n).map { _ in Float(Int(generator.next() % UInt64(Self.trainTimesteps))) }
        var noisy = latents
        let plane = latents.count / n
        for row in 0..<n {
            let abar = Self.alphasCumprod[Int(timesteps[row])]
            let (a, b) = (abar.squareRoot(), (1 - abar).squareRoot())
            for i in (row * plane)..<((row + 1) * plane) { noisy.scalars[i] = a * latents.scalars[i] + b * noise.scalars[i] }
        }

        let prediction = unet.forward(noisy, timesteps: timesteps, context: context).sample
        var loss: Float = 0
        var gradPrediction = Tensor(uninitialized: prediction.shape)
        let count = Float(prediction.count)
        for i in 0..<prediction.count {
            let d = prediction.scalars[i] - noise.scalars[i]
            loss += d * d
            gradPrediction.scalars[i] = 2 * d / count
        }
        let gradContext = unet.backward(gradPrediction).context
        let (gradText, gradFace) = FaceConditioning.splitGradient(gradContext, faceTokens: projector.config.numTokens, keep: keepFace)
        textEncoder.backward(gradText)
        _ = projector.backward(gradFace)
        return ["loss": loss / count]
    }
}
