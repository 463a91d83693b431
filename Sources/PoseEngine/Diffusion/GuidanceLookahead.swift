/// Pose guidance that reads the picture the step is heading for: the denoiser's predicted clean
/// latent x0 = (x_t - sqrt(1 - ab_t) eps) / sqrt(ab_t), noised again to the lower timestep t' with
/// the step's own predicted noise, x' = sqrt(ab') x0 + sqrt(1 - ab') eps. The pose head reads x' at
/// t', where it reads pose better than at t and where the denoiser's view of the final picture
/// shows through. Holding eps fixed, the step then moves x0 by -w dL/dx0 (L the unweighted loss of
/// that reading, w the guidance weight): eps_hat = eps + w sqrt(ab_t ab' / (1 - ab_t)) dL/dx'.
/// Steps at or below t' are guided as usual, on x_t.
public struct GuidanceLookahead: Sendable, Equatable {
    public var timestep: Int
    public var alphaBar: Float

    public init(timestep: Int, alphaBar: Float) {
        self.timestep = timestep
        self.alphaBar = alphaBar
    }

    /// The guidance loss at x' (weighted) and the change to eps; `lossAndGradient` gives the
    /// loss and dL/dx' at an x' for a guidance.
    func push(eps: Tensor, x: Tensor, alphaBar ab: Float, guidance: PoseGuidance,
              lossAndGradient: (Tensor, PoseGuidance) -> (loss: Float, gradient: Tensor)) -> (loss: Float, push: Tensor) {
        let x0 = combine(1 / ab.squareRoot(), x, -((1 - ab) / ab).squareRoot(), eps)
        let ahead = combine(alphaBar.squareRoot(), x0, (1 - alphaBar).squareRoot(), eps)
        var unweighted = guidance
        unweighted.weight = 1
        let (loss, gradient) = lossAndGradient(ahead, unweighted)
        return (guidance.weight * loss, gradient * (guidance.weight * (ab * alphaBar / (1 - ab)).squareRoot()))
    }
}
