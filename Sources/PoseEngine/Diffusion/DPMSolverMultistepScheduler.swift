import Foundation

/// diffusers' DPMSolverMultistepScheduler as DPM++ 2M (dpmsolver++, order 2,
/// midpoint solver, final sigma 0): data predictions x0 of the last two steps
/// extrapolate over log-SNR lambda = log(alpha_t / sigma_t). The first step and
/// the step to sigma 0 are first order, as in diffusers.
public struct DPMSolverMultistepScheduler: DiffusionScheduler {
    public let schedule: NoiseSchedule
    public let timesteps: [Int]
    /// (alpha_t, sigma_t) of the variance-preserving process per step, then (1, 0).
    let levels: [(alpha: Double, sigma: Double)]
    /// The previous step's x0 prediction: the multistep history.
    private var previousDenoised: Tensor?

    public init(schedule: NoiseSchedule, steps: Int) {
        self.init(schedule: schedule, timesteps: TimestepSpacing.multistepTimesteps(steps: steps, config: schedule.config))
    }

    /// A walk over the given descending timesteps, then down to sigma 0; it starts with no history.
    public init(schedule: NoiseSchedule, timesteps: [Int]) {
        self.schedule = schedule
        self.timesteps = timesteps
        levels = timesteps.map { t in
            let a = schedule.alphaBar(t)
            return (a.squareRoot(), (1 - a).squareRoot())
        } + [(1, 0)]
    }

    public func alphaBar(step index: Int) -> Float { Float(schedule.alphaBar(timesteps[index])) }
    public func initialSample(noise: Tensor) -> Tensor { noise }
    public func modelInput(_ sample: Tensor, step index: Int) -> Tensor { sample }
    public func sample(fromModelInput x: Tensor, step index: Int) -> Tensor { x }

    private func lambda(_ index: Int) -> Double { log(levels[index].alpha) - log(levels[index].sigma) }

    public mutating func step(_ sample: Tensor, eps: Tensor, step index: Int, generator: inout SeededGenerator) -> Tensor {
        let (alphaS, sigmaS) = levels[index]
        let (alphaT, sigmaT) = levels[index + 1]
        let denoised = combine(Float(1 / alphaS), sample, Float(-sigmaS / alphaS), eps)
        defer { previousDenoised = denoised }
        guard sigmaT > 0 else { return denoised }
        let h = lambda(index + 1) - lambda(index)
        let decay = Float(alphaT * (exp(-h) - 1))
        var next = combine(Float(sigmaT / sigmaS), sample, -decay, denoised)
        if let previous = previousDenoised, index > 0 {
            // D1 = (m0 - m1) / r0 with r0 = h_last / h; the midpoint rule adds -0.5 * decay * D1.
            let r = (lambda(index) - lambda(index - 1)) / h
            next.add(combine(1, denoised, -1, previous), scaledBy: -0.5 * decay / Float(r))
        }
        return next
    }
}
