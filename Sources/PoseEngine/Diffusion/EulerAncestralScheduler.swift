/// diffusers' EulerAncestralDiscreteScheduler: the sample lives in the
/// variance-exploding space x = x_t * sqrt(1 + sigma^2); each step moves to
/// sigma_down with the Euler derivative (x - denoised) / sigma = eps and adds
/// fresh noise of size sigma_up.
public struct EulerAncestralScheduler: DiffusionScheduler {
    public let schedule: NoiseSchedule
    public let timesteps: [Int]
    /// One per timestep, then 0.
    public let sigmas: [Double]

    public init(schedule: NoiseSchedule, steps: Int) {
        self.init(schedule: schedule, timesteps: TimestepSpacing.timesteps(steps: steps, config: schedule.config))
    }

    /// A walk over the given descending timesteps, then down to sigma 0.
    public init(schedule: NoiseSchedule, timesteps: [Int]) {
        self.schedule = schedule
        self.timesteps = timesteps
        sigmas = timesteps.map(schedule.sigma) + [0]
    }

    public func alphaBar(step index: Int) -> Float { Float(schedule.alphaBar(timesteps[index])) }

    /// diffusers' init_noise_sigma: sqrt(sigma_max^2 + 1) for "leading" spacing, sigma_max otherwise.
    public func initialSample(noise: Tensor) -> Tensor {
        let largest = sigmas.max() ?? 0
        return noise * Float(schedule.config.timestepSpacing == "leading" ? (largest * largest + 1).squareRoot() : largest)
    }

    public func modelInput(_ sample: Tensor, step index: Int) -> Tensor {
        let sigma = sigmas[index]
        return sample * Float(1 / (sigma * sigma + 1).squareRoot())
    }

    public func sample(fromModelInput x: Tensor, step index: Int) -> Tensor {
        let sigma = sigmas[index]
        return x * Float((sigma * sigma + 1).squareRoot())
    }

    public mutating func step(_ sample: Tensor, eps: Tensor, step index: Int, generator: inout SeededGenerator) -> Tensor {
        let (from, to) = (sigmas[index], sigmas[index + 1])
        let up = (to * to * (from * from - to * to) / (from * from)).squareRoot()
        let down = max(to * to - up * up, 0).squareRoot()
        var previous = combine(1, sample, Float(down - from), eps)
        if up > 0 {
            previous.add(Tensor.randomNormal(sample.shape, generator: &generator), scaledBy: Float(up))
        }
        return previous
    }
}
