/// Where a sampling trajectory stands before step `nextStep`: the sampler
/// (its history included), the sample, the noise generator and how many of
/// its steps are guided. A value: a copy is a restart point.
public struct TrajectoryState: Sendable {
    public var scheduler: any DiffusionScheduler
    public var sample: Tensor
    public var generator: SeededGenerator
    public var nextStep: Int
    /// Steps [0, guidedSteps) take pose guidance when the settings ask for it.
    public var guidedSteps: Int

    public var isFinished: Bool { nextStep >= scheduler.stepCount }

    /// The rest of this walk in `steps` steps of `sampler`, spread evenly over the timesteps it has
    /// left (a multistep sampler starts its history again). Guidance acts down to the same
    /// timestep as in the full walk, so it steers the same share of the noise.
    public func remainder(inSteps steps: Int, sampler: SamplerKind, eta: Float) -> TrajectoryState {
        guard !isFinished, let last = scheduler.timesteps.last else { return self }
        let timesteps = TimestepSpacing.remainder(from: scheduler.timesteps[nextStep], to: last, steps: steps)
        let rest = sampler.makeScheduler(timesteps: timesteps, schedule: scheduler.schedule, eta: eta)
        let lastGuided = guidedSteps > 0 ? scheduler.timesteps[min(guidedSteps, scheduler.stepCount) - 1] : Int.max
        return TrajectoryState(scheduler: rest, sample: rest.sample(fromModelInput: scheduler.modelInput(sample, step: nextStep), step: 0),
                               generator: generator, nextStep: 0, guidedSteps: timesteps.prefix { $0 >= lastGuided }.count)
    }
}

/// What one step reports.
public struct StepReport: Sendable {
    /// The clean latent the step's prediction implies (what a preview shows).
    public var predictedLatent: Tensor
    /// The timestep the step denoised from.
    public var timestep: Int
    /// The pose head's reading of the most conditioned branch's x_t at that timestep.
    public var estimate: PoseValues
    public var guided: Bool
    /// On guided steps, the pose-guidance loss the step's last pass started from; with a
    /// lookahead, that of the head's reading ahead, at the lookahead's timestep.
    public var guidanceLoss: Float?
    public var milliseconds: Double
    public var batchRows: Int
}
