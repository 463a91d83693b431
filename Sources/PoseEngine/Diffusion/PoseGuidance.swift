/// Readout guidance on the pose head: loss = weight * mean over rows of the
/// squared distance, in the head's normalised units, between each active
/// target and the head's prediction, each quantity's term times the head's gain
/// for it (`PoseReadoutHeadConfig.gains`).
///
/// `pushLimit` bounds what guidance may change in one step: the norm of the guided eps minus the
/// unguided one, as a share of the unguided eps's norm (nil: no bound). The noisiest guided steps
/// are where a head reads pose least well and pushes hardest (pushes up to 2.7 times eps's own
/// norm were measured at t = 851); unbounded, such a step can leave the latent where the decoder
/// draws coloured noise instead of a head.
public struct PoseGuidance: Sendable, Equatable {
    public var targets: GuidanceTargets
    public var weight: Float
    public var pushLimit: Float?

    public init(targets: GuidanceTargets, weight: Float, pushLimit: Float? = nil) {
        self.targets = targets
        self.weight = weight
        self.pushLimit = pushLimit
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

    /// The same guidance aimed where `head`'s calibration says finished pictures land on the targets.
    public func aimed(by head: PoseReadoutHeadConfig) -> PoseGuidance {
        var aimed = self
        aimed.targets.values = head.aim(targets.values)
        return aimed
    }

    /// `guided` with its change from `unguided` scaled down to `pushLimit` times the norm of
    /// `unguided` where it is larger; its direction is kept.
    public func limitingPush(_ guided: Tensor, from unguided: Tensor) -> Tensor {
        guard let pushLimit, pushLimit > 0 else { return guided }
        let push = guided - unguided
        let (pushNorm, epsNorm) = (push.dot(push).squareRoot(), unguided.dot(unguided).squareRoot())
        guard pushNorm > pushLimit * epsNorm else { return guided }
        return unguided + push * (pushLimit * epsNorm / pushNorm)
    }
}
