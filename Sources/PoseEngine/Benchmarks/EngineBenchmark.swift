import Foundation

/// `posestudio bench engine`: the engine's raw speed on the default model
/// configuration, with the machine's sgemm throughput measured in the same run
/// as the yardstick, and PyTorch's figures (tools/reference/bench_torch.py on
/// the same config and weights) as the baseline when given.
public struct EngineBenchmark {
    public struct Report: Codable, Sendable {
        public var sgemmGFLOPS: Double
        public var unetForwardMs: [String: Double]
        public var unetGFLOPS: Double
        public var unetGFLOPPerForward: Double
        public var guidanceGradMs: Double
        public var vaeDecodeMs: Double
        /// UNet forward + full backward at batch 32 (one training step without the optimiser), when measured.
        public var unetTrainStepMs: Double?
        /// Swift / PyTorch for the batch-1 UNet forward; below 1 means faster.
        public var ratioVsTorch: Double?
        /// Swift / PyTorch for every measurement both sides made.
        public var ratiosVsTorch: [String: Double]?
        public var threads: Int
        /// OpenBLAS's kernels ("Cooperlake"): the same binary is several times slower on generic ones.
        public var blasKernels: String
        public var runs: Int
        public var model: String

        enum CodingKeys: String, CodingKey {
            case sgemmGFLOPS = "sgemm_gflops", unetForwardMs = "unet_forward_ms", unetGFLOPS = "unet_gflops"
            case unetGFLOPPerForward = "unet_gflop_per_forward", guidanceGradMs = "guidance_grad_ms"
            case vaeDecodeMs = "vae_decode_ms", ratioVsTorch = "ratio_vs_torch", ratiosVsTorch = "ratios_vs_torch"
            case unetTrainStepMs = "unet_train_step_ms"
            case blasKernels = "blas_kernels"
            case threads, runs, model
        }

        /// Explicit nulls for absent ratios, so readers see the key either way.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(sgemmGFLOPS, forKey: .sgemmGFLOPS)
            try c.encode(unetForwardMs, forKey: .unetForwardMs)
            try c.encode(unetGFLOPS, forKey: .unetGFLOPS)
            try c.encode(unetGFLOPPerForward, forKey: .unetGFLOPPerForward)
            try c.encode(guidanceGradMs, forKey: .guidanceGradMs)
            try c.encode(vaeDecodeMs, forKey: .vaeDecodeMs)
            try c.encodeIfPresent(unetTrainStepMs, forKey: .unetTrainStepMs)
            try c.encode(ratioVsTorch, forKey: .ratioVsTorch)
            try c.encode(ratiosVsTorch, forKey: .ratiosVsTorch)
            try c.encode(threads, forKey: .threads)
            try c.encode(blasKernels, forKey: .blasKernels)
            try c.encode(runs, forKey: .runs)
            try c.encode(model, forKey: .model)
        }
    }

    /// PyTorch's figures as bench_torch.py writes them.
    public struct TorchBaseline: Decodable, Sendable {
        public var unetForwardMs: [String: Double]
        public var guidanceGradMs: Double
        public var vaeDecodeMs: Double
        public var threads: Int?

        enum CodingKeys: String, CodingKey {
            case unetForwardMs = "unet_forward_ms", guidanceGradMs = "guidance_grad_ms"
            case vaeDecodeMs = "vae_decode_ms", threads
        }
    }

    public let unet: UNet2DConditionModel
    public let vae: AutoencoderKL
    public let modelDescription: String
    public var runs = 30
    public var batches = [1, 4]
    /// Also time a batch-32 UNet training step (forward + backward).
    public var includeTraining = false
    /// Context tokens per image, as tools/reference/bench_torch.py uses.
    public static let contextTokens = 16

    public init(unet: UNet2DConditionModel, vae: AutoencoderKL, modelDescription: String) {
        self.unet = unet
        self.vae = vae
        self.modelDescription = modelDescription
    }

    public func run(torch: TorchBaseline?, progress: (String) -> Void = { _ in }) -> Report {
        unet.setRequiresGradient(false)
        vae.setRequiresGradient(false)
        progress("sgemm")
        let sgemm = Self.sgemmGFLOPS(size: 1024, runs: 10)

        var generator = SeededGenerator(seed: 1)
        let config = unet.config
        var forwardMs: [String: Double] = [:]
        for batch in batches {
            progress("UNet forward, batch \(batch)")
            let sample = Tensor.randomNormal([batch, config.inChannels, config.sampleSize, config.sampleSize], generator: &generator)
            let context = Tensor.randomNormal([batch, Self.contextTokens, config.crossAttentionDim], generator: &generator)
            let timesteps = [Float](repeating: 500, count: batch)
            forwardMs[String(batch)] = Timing.medianMilliseconds(runs: runs) {
                _ = unet.forward(sample, timesteps: timesteps, context: context)
            }
        }

        let sample = Tensor.randomNormal([1, config.inChannels, config.sampleSize, config.sampleSize], generator: &generator)
        let context = Tensor.randomNormal([1, Self.contextTokens, config.crossAttentionDim], generator: &generator)
        let flops = FLOPCounter.count { _ = unet.forward(sample, timesteps: [500], context: context) }
        let forwardOne = forwardMs["1"] ?? .nan

        progress("guidance gradient")
        // From the mid block alone, as tools/reference/bench_torch.py times it, so the two match.
        // A head that reads skips adds their gradients into the same backward pass on the way
        // down (an addition per skip), not another pass.
        let midShape = unet.forwardToMidBlock(sample, timesteps: [500], context: context).shape
        let lossWeights = Tensor.randomNormal(midShape, generator: &generator)
        let guidanceMs = Timing.medianMilliseconds(runs: runs) {
            _ = unet.forwardToMidBlock(sample, timesteps: [500], context: context)
            _ = unet.backwardFromMidBlock(lossWeights)
        }

        progress("VAE decode")
        let latentSide = vae.config.latentSize
        let latent = Tensor.randomNormal([1, vae.config.latentChannels, latentSide, latentSide], generator: &generator)
        let decodeMs = Timing.medianMilliseconds(runs: runs) { _ = vae.decode(latent) }

        var trainStepMs: Double?
        if includeTraining {
            progress("UNet training step, batch 32")
            unet.setRequiresGradient(true)
            let batch = Tensor.randomNormal([32, config.inChannels, config.sampleSize, config.sampleSize], generator: &generator)
            let batchContext = Tensor.randomNormal([32, Self.contextTokens, config.crossAttentionDim], generator: &generator)
            let grad = Tensor.randomNormal(batch.shape, generator: &generator)
            let steps = [Float](repeating: 500, count: 32)
            trainStepMs = Timing.medianMilliseconds(warmup: 1, runs: max(3, runs / 6)) {
                _ = unet.forward(batch, timesteps: steps, context: batchContext)
                _ = unet.backward(grad)
            }
            unet.zeroGradients()
            unet.setRequiresGradient(false)
        }

        var ratios: [String: Double]?
        if let torch {
            var r: [String: Double] = [:]
            for (batch, ms) in forwardMs {
                if let t = torch.unetForwardMs[batch] { r["unet_forward_\(batch)"] = ms / t }
            }
            r["guidance_grad"] = guidanceMs / torch.guidanceGradMs
            r["vae_decode"] = decodeMs / torch.vaeDecodeMs
            ratios = r
        }
        return Report(
            sgemmGFLOPS: sgemm, unetForwardMs: forwardMs,
            unetGFLOPS: Double(flops) / (forwardOne * 1e6), unetGFLOPPerForward: Double(flops) / 1e9,
            guidanceGradMs: guidanceMs, vaeDecodeMs: decodeMs, unetTrainStepMs: trainStepMs,
            ratioVsTorch: ratios?["unet_forward_1"], ratiosVsTorch: ratios,
            threads: BLAS.lanes, blasKernels: BLASKernels.current, runs: runs, model: modelDescription)
    }

    /// Square sgemm throughput with the current OpenBLAS thread count.
    public static func sgemmGFLOPS(size n: Int, runs: Int) -> Double {
        var generator = SeededGenerator(seed: 2)
        let a = Tensor.randomNormal([n, n], generator: &generator)
        let b = Tensor.randomNormal([n, n], generator: &generator)
        var c = Tensor(zeros: [n, n])
        let ms = Timing.medianMilliseconds(runs: runs) {
            a.withPointer { ap in
                b.withPointer { bp in
                    c.withMutablePointer { cp in
                        BLAS.gemm(m: n, n: n, k: n, a: ap, lda: n, b: bp, ldb: n, c: cp, ldc: n)
                    }
                }
            }
        }
        return 2 * Double(n * n * n) / (ms * 1e6)
    }
}
