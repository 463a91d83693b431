/// Where a sampling trajectory stands before step `nextStep`: the sampler
/// (its history included), the sample and the noise generator. A value: a
/// copy is a restart point.
public struct TrajectoryState: Sendable {
    public var scheduler: any DiffusionScheduler
    public var sample: Tensor
    public var generator: SeededGenerator
    public var nextStep: Int

    public var isFinished: Bool { nextStep >= scheduler.stepCount }
}

/// What one step reports.
public struct StepReport: Sendable {
    /// The clean latent the step's prediction implies (what a preview shows).
    public var predictedLatent: Tensor
    public var estimate: PoseValues
    public var guided: Bool
    public var milliseconds: Double
    public var batchRows: Int
}
