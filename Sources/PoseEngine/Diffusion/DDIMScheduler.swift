/// diffusers' DDIMScheduler (epsilon prediction, no clipping, no thresholding):
/// x_prev = sqrt(abar_prev) x0 + sqrt(1 - abar_prev - std^2) eps + std z,
/// std = eta * sqrt((1 - abar_prev) / (1 - abar_t) * (1 - abar_t / abar_prev)).
public struct DDIMScheduler: DiffusionScheduler {
    public let schedule: NoiseSchedule
    public let timesteps: [Int]
    public let eta: Float
    /// The timestep each step lands on; negative after the last (alpha_bar is then the final one).
    private let landings: [Int]

    public init(schedule: NoiseSchedule, steps: Int, eta: Float = 0) {
        self.schedule = schedule
        timesteps = TimestepSpacing.timesteps(steps: steps, config: schedule.config)
        self.eta = eta
        // diffusers takes the previous timestep as t - T // N, whatever the spacing.
        let stride = schedule.trainTimesteps / timesteps.count
        landings = timesteps.map { $0 - stride }
    }

    /// A walk over the given descending timesteps, each step landing on the next one.
    public init(schedule: NoiseSchedule, timesteps: [Int], eta: Float = 0) {
        self.schedule = schedule
        self.timesteps = timesteps
        self.eta = eta
        landings = Array(timesteps.dropFirst()) + [-1]
    }

    public func alphaBar(step index: Int) -> Float { Float(schedule.alphaBar(timesteps[index])) }
    public func initialSample(noise: Tensor) -> Tensor { noise }
    public func modelInput(_ sample: Tensor, step index: Int) -> Tensor { sample }
    public func sample(fromModelInput x: Tensor, step index: Int) -> Tensor { x }

    func previousAlphaBar(step index: Int) -> Double {
        let previous = landings[index]
        return previous >= 0 ? schedule.alphaBar(previous) : schedule.finalAlphaBar
    }

    public mutating func step(_ sample: Tensor, eps: Tensor, step index: Int, generator: inout SeededGenerator) -> Tensor {
        let abar = schedule.alphaBar(timesteps[index])
        let abarPrevious = previousAlphaBar(step: index)
        let variance = (1 - abarPrevious) / (1 - abar) * (1 - abar / abarPrevious)
        let std = Double(eta) * max(variance, 0).squareRoot()
        // x_prev = sqrt(abar_prev) * (x - sqrt(1 - abar) eps) / sqrt(abar) + sqrt(1 - abar_prev - std^2) eps
        let x0Scale = (abarPrevious / abar).squareRoot()
        let epsScale = max(1 - abarPrevious - std * std, 0).squareRoot() - x0Scale * (1 - abar).squareRoot()
        var previous = combine(Float(x0Scale), sample, Float(epsScale), eps)
        if std > 0 {
            previous.add(Tensor.randomNormal(sample.shape, generator: &generator), scaledBy: Float(std))
        }
        return previous
    }
}
