import Foundation

/// How much of a head's pose survives the VAE: the judge reads fresh renders and their
/// reconstructions (encoded to the posterior mean, decoded), and the gap between its two
/// errors is what the round trip lost. Every generated image is a decoded latent, so a pose
/// the decoder cannot draw is one no guidance can reach.
public struct ReconstructionFidelity: Sendable {
    /// Mean absolute pixel error of the reconstructions, in [-1, 1] units (the VAE's logged l1).
    public var reconstructionL1: Float
    /// The judge's errors on the renders themselves: its own floor.
    public var judgeOnRenders: PoseAbsoluteErrors
    /// The judge's errors on the same renders after the VAE round trip.
    public var judgeOnReconstructions: PoseAbsoluteErrors

    /// Measures `count` renders of a world seeded with `seed`, at the VAE's and judge's size.
    public static func measure(vae: AutoencoderKL, judge: PoseJudge, count: Int, seed: UInt64,
                               chunk: Int = 32) -> ReconstructionFidelity {
        let world = SynthDataset(seed: seed, imageSize: vae.config.sampleSize, identityCount: max(count / 4, 2))
        var onRenders = PoseAbsoluteErrors(), onReconstructions = PoseAbsoluteErrors()
        var l1: Double = 0, pixels = 0
        for start in stride(from: 0, to: count, by: chunk) {
            let batch = SynthBatch(world.samples(start..<min(start + chunk, count)))
            let truth = PoseValues.rows(of: PoseHeadTrainer.targets(batch.poses))
            let reconstructions = vae.reconstruct(batch.images)
            l1 += reconstructions.sumAbsDifference(batch.images)
            pixels += batch.images.count
            onRenders.add(predicted: judge.estimate(batch.images), truth: truth)
            onReconstructions.add(predicted: judge.estimate(reconstructions), truth: truth)
        }
        return ReconstructionFidelity(reconstructionL1: Float(l1 / Double(max(pixels, 1))), judgeOnRenders: onRenders,
                                      judgeOnReconstructions: onReconstructions)
    }
}
