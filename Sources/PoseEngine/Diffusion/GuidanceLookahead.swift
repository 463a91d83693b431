/// Pose guidance that reads the picture the step is heading for: the denoiser's predicted clean
/// latent x0 = (x_t - sqrt(1 - ab_t) eps) / sqrt(ab_t), noised again to the lower timestep t' with
/// the step's own predicted noise, x' = sqrt(ab') x0 + sqrt(1 - ab') eps. The pose head reads x' at
/// t', where it reads pose better than at t and where the denoiser's view of the final picture
/// shows through. Holding eps fixed, the step then moves x0 by -w dL/dx0 (L the unweighted loss of
/// that reading, w the guidance weight): eps_hat = eps + w sqrt(ab_t ab' / (1 - ab_t)) dL/dx'.
/// Steps at or below t' are guided as usual, on x_t.
///
/// Only the active targets among `quantities` are read ahead; guidance reads the others on x_t,
/// in the same step, as without a lookahead. That push comes first, so eps and x0 above are the
/// ones it left: the readings ahead see the picture the placement guidance already moved (the
/// order the default settings were measured with). Readings ahead are weighted by the guidance weight
/// times `gain`: a move of x0 wants a larger weight than a push on eps.
///
/// With `samples` > 1 the head also reads x0 noised to t' with fresh noise, `samples - 1` times,
/// and L is the mean of the readings' losses: the expected reading of x0 at t', as the head met
/// it in training, whose gradient is smoother than any one reading's. The fresh noise comes from
/// `noiseSeed`, so the same settings still give the same picture.
public struct GuidanceLookahead: Sendable, Equatable {
    public var timestep: Int
    public var alphaBar: Float
    public var samples: Int
    public var noiseSeed: UInt64
    public var quantities: [PoseQuantity]
    public var gain: Float

    public init(timestep: Int, alphaBar: Float, samples: Int = 1, noiseSeed: UInt64 = 0,
                quantities: [PoseQuantity] = PoseQuantity.allCases, gain: Float = 1) {
        precondition(samples >= 1, "a lookahead reads at least one noised latent")
        self.timestep = timestep
        self.alphaBar = alphaBar
        self.samples = samples
        self.noiseSeed = noiseSeed
        self.quantities = quantities
        self.gain = gain
    }

    /// `guidance` parted into what is read on x_t and what is read ahead (each with its weight).
    func split(_ guidance: PoseGuidance) -> (here: PoseGuidance, ahead: PoseGuidance) {
        var here = guidance, ahead = guidance
        for quantity in PoseQuantity.allCases {
            let readAhead = quantities.contains(quantity)
            here.targets.set(quantity, active: guidance.targets.isActive(quantity) && !readAhead)
            ahead.targets.set(quantity, active: guidance.targets.isActive(quantity) && readAhead)
        }
        ahead.weight = guidance.weight * gain
        return (here, ahead)
    }

    /// The guidance loss at the readings (weighted) and the change to eps; `lossAndGradient`
    /// gives, for readings [samples, C, H, W] and a guidance, the mean loss and its gradient
    /// summed over the readings (each reading is x0 plus noise, so that sum is the loss's
    /// gradient by x' for x0's share).
    func push(eps: Tensor, x: Tensor, alphaBar ab: Float, guidance: PoseGuidance,
              lossAndGradient: (Tensor, PoseGuidance) -> (loss: Float, gradient: Tensor)) -> (loss: Float, push: Tensor) {
        let x0 = Self.predictedClean(x, eps: eps, alphaBar: ab)
        var unweighted = guidance
        unweighted.weight = 1
        let (loss, gradient) = lossAndGradient(readings(of: x0, eps: eps), unweighted)
        return (guidance.weight * loss, gradient * (guidance.weight * (ab * alphaBar / (1 - ab)).squareRoot()))
    }

    /// x0 noised to t': first with the step's own eps, then with fresh noise.
    func readings(of x0: Tensor, eps: Tensor) -> Tensor {
        var generator = SeededGenerator(seed: noiseSeed)
        return Tensor.stacked((0..<samples).map { sample in
            Self.noised(x0, with: sample == 0 ? eps : Tensor.randomNormal(x0.shape, generator: &generator), alphaBar: alphaBar)
        })
    }

    /// The denoiser's predicted clean latent x0 = (x_t - sqrt(1 - ab) eps) / sqrt(ab).
    static func predictedClean(_ x: Tensor, eps: Tensor, alphaBar ab: Float) -> Tensor {
        combine(1 / ab.squareRoot(), x, -((1 - ab) / ab).squareRoot(), eps)
    }

    /// sqrt(ab) x0 + sqrt(1 - ab) noise: `x0` at the noise level `ab`.
    static func noised(_ x0: Tensor, with noise: Tensor, alphaBar ab: Float) -> Tensor {
        combine(ab.squareRoot(), x0, (1 - ab).squareRoot(), noise)
    }

    /// What a step at `alphaBar` reading ahead to `aheadAlphaBar` shows the head with one reading:
    /// its predicted clean latent noised again with its own eps. The pose head's training makes
    /// such readings too (`PoseHeadTrainer.readingsAheadShare`), so it meets them before guiding.
    static func reading(_ x: Tensor, eps: Tensor, alphaBar: Float, aheadAlphaBar: Float) -> Tensor {
        noised(predictedClean(x, eps: eps, alphaBar: alphaBar), with: eps, alphaBar: aheadAlphaBar)
    }
}
