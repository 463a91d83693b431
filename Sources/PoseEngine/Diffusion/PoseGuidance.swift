/// Readout guidance on the pose head: loss = weight * mean over rows of the
/// squared distance, in the head's normalised units, between each active
/// target and the head's prediction, each quantity's term times the head's gain
/// for it (`PoseReadoutHeadConfig.gains`).
public struct PoseGuidance: Sendable, Equatable {
    public var targets: GuidanceTargets
    public var weight: Float

    public init(targets: GuidanceTargets, weight: Float) {
        self.targets = targets
        self.weight = weight
    }

    public var isActive: Bool { weight != 0 && !targets.active.isEmpty }

    /// The loss and dL/dpredictions for normalised predictions [N, 5]; `gains` has one factor
    /// per quantity.
    public func lossAndGradient(predictions: Tensor, gains: [Float]) -> (loss: Float, gradient: Tensor) {
        precondition(gains.count == PoseValues.count, "one guidance gain per pose quantity")
        let n = predictions.shape[0], q = PoseValues.count
        let target = targets.values.normalized
        var gradient = Tensor(zeros: predictions.shape)
        var loss: Float = 0
        for row in 0..<n {
            for quantity in targets.active {
                let i = row * q + quantity.index
                let d = predictions.scalars[i] - target[quantity.index]
                let scale = weight * gains[quantity.index] / Float(n)
                loss += scale * d * d
                gradient.scalars[i] = 2 * scale * d
            }
        }
        return (loss, gradient)
    }
}
