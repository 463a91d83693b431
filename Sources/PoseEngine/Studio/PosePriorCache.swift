/// The pose prior's latents for the latest few targets, so that a submit's preview and full
/// render, and a resumed walk (which needs its trajectory's prior as well as its own), do not
/// render and encode the people again. The `PosePrior` itself is built on first use: it encodes
/// the people as they are once.
final class PosePriorCache {
    private let vae: AutoencoderKL
    private var prior: PosePrior?
    /// Newest last, keyed by the active targets' values (nil: off), the only ones the latent reads.
    private var recent: [(key: [Float?], latent: Tensor)] = []
    private let limit = 4

    init(vae: AutoencoderKL) {
        self.vae = vae
    }

    func latent(for targets: GuidanceTargets) -> Tensor {
        let key = PoseQuantity.allCases.map { targets.isActive($0) ? targets.values.value($0) : nil }
        if let hit = recent.last(where: { $0.key == key }) { return hit.latent }
        let prior = self.prior ?? PosePrior(vae: vae)
        self.prior = prior
        let latent = prior.latent(for: targets)
        recent = Array(recent.suffix(limit - 1)) + [(key, latent)]
        return latent
    }
}
