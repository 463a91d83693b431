/// The samplers a user can pick, by the names the command line and sessions use.
public enum SamplerKind: String, Codable, Sendable, CaseIterable {
    case ddim
    case eulerAncestral = "euler-a"
    case dpmpp2m = "dpm++2m"

    /// A fresh scheduler for `steps` steps over `schedule`; `eta` is DDIM's noise share.
    public func makeScheduler(steps: Int, schedule: NoiseSchedule, eta: Float) -> any DiffusionScheduler {
        switch self {
        case .ddim: return DDIMScheduler(schedule: schedule, steps: steps, eta: eta)
        case .eulerAncestral: return EulerAncestralScheduler(schedule: schedule, steps: steps)
        case .dpmpp2m: return DPMSolverMultistepScheduler(schedule: schedule, steps: steps)
        }
    }

    /// A fresh scheduler over the given descending timesteps (the rest of a resumed walk).
    public func makeScheduler(timesteps: [Int], schedule: NoiseSchedule, eta: Float) -> any DiffusionScheduler {
        switch self {
        case .ddim: return DDIMScheduler(schedule: schedule, timesteps: timesteps, eta: eta)
        case .eulerAncestral: return EulerAncestralScheduler(schedule: schedule, timesteps: timesteps)
        case .dpmpp2m: return DPMSolverMultistepScheduler(schedule: schedule, timesteps: timesteps)
        }
    }
}

/// One sampler's walk from noise to a latent. Every sampler consumes the
/// model's epsilon prediction; its state (sample space, history) stays inside,
/// and being a value, a copy is a snapshot a trajectory can restart from.
public protocol DiffusionScheduler: Sendable {
    var schedule: NoiseSchedule { get }
    /// The training timesteps the model is evaluated at, one per step, descending.
    var timesteps: [Int] { get }
    /// alpha_bar at step `index`: guidance scales its gradient by sqrt(1 - alpha_bar).
    func alphaBar(step index: Int) -> Float
    /// The sampler's first sample for standard normal `noise`.
    func initialSample(noise: Tensor) -> Tensor
    /// What the UNet sees at step `index`: the variance-preserving x_t.
    func modelInput(_ sample: Tensor, step index: Int) -> Tensor
    /// The sample whose model input at step `index` is `x`: the inverse of `modelInput`.
    func sample(fromModelInput x: Tensor, step index: Int) -> Tensor
    /// The sample after step `index` for prediction `eps`; `generator` feeds ancestral noise.
    mutating func step(_ sample: Tensor, eps: Tensor, step index: Int, generator: inout SeededGenerator) -> Tensor
    /// The clean latent a finished sample stands for.
    func finalLatent(_ sample: Tensor) -> Tensor
}

extension DiffusionScheduler {
    public var stepCount: Int { timesteps.count }
    public func finalLatent(_ sample: Tensor) -> Tensor { sample }
}

/// out = a * x + b * y (+ c * z), element-wise.
func combine(_ a: Float, _ x: Tensor, _ b: Float, _ y: Tensor) -> Tensor {
    precondition(x.count == y.count, "combine: \(x.shape) vs \(y.shape)")
    var out = Tensor(uninitialized: x.shape)
    let n = x.count
    x.withPointer { xp in
        y.withPointer { yp in
            out.withMutablePointer { op in
                for i in 0..<n { op[i] = a * xp[i] + b * yp[i] }
            }
        }
    }
    return out
}

extension DiffusionScheduler {
    /// `sample`, the result of step `index`, noised forward again to step `index`'s own level by
    /// the diffusion's forward process: x_t = sqrt(ab_t / ab_s) x_s + sqrt(1 - ab_t / ab_s) n, with
    /// s the next step's level and n fresh standard normal noise.
    public func renoised(_ sample: Tensor, afterStep index: Int, generator: inout SeededGenerator) -> Tensor {
        precondition(index + 1 < stepCount, "the last step has no next level to renoise from")
        let ratio = alphaBar(step: index) / alphaBar(step: index + 1)
        let noise = Tensor.randomNormal(sample.shape, generator: &generator)
        let x = combine(ratio.squareRoot(), modelInput(sample, step: index + 1), (1 - ratio).squareRoot(), noise)
        return self.sample(fromModelInput: x, step: index)
    }
}
