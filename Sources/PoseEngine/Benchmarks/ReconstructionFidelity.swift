import Foundation

/// How much of a head's pose survives the VAE: the judge reads fresh renders and their
/// reconstructions (encoded to the posterior mean, decoded, clamped to the picture range), and
/// the gap between its two errors is what the round trip lost. Every generated image is a
/// decoded latent, so a pose the decoder cannot draw is one no guidance can reach.
public struct ReconstructionFidelity: Sendable {
    /// Mean absolute pixel error of the reconstructions, in [-1, 1] units (the VAE's logged l1).
    public var reconstructionL1: Float
    /// The judge's errors on the renders themselves: its own floor.
    public var judgeOnRenders: PoseAbsoluteErrors
    /// The judge's errors on the same renders after the VAE round trip.
    public var judgeOnReconstructions: PoseAbsoluteErrors

    /// One render, what the VAE made of it, and what the judge read in each.
    public struct Pair: Sendable {
        public var index: Int
        /// [1, 3, H, W] in [-1, 1].
        public var render: Tensor
        /// [1, 3, H, W] in [-1, 1], clamped as a picture is.
        public var reconstruction: Tensor
        public var truth: PoseValues
        public var readOnRender: PoseValues
        public var readOnReconstruction: PoseValues
    }

    /// Measures `count` renders of a world seeded with `seed`, at the VAE's and judge's size;
    /// `each` sees every render with its reconstruction and readings.
    public static func measure(vae: AutoencoderKL, judge: PoseJudge, count: Int, seed: UInt64,
                               chunk: Int = 32, each: (Pair) throws -> Void = { _ in }) rethrows -> ReconstructionFidelity {
        let world = SynthDataset(seed: seed, imageSize: vae.config.sampleSize, identityCount: max(count / 4, 2))
        var onRenders = PoseAbsoluteErrors(), onReconstructions = PoseAbsoluteErrors()
        var l1: Double = 0, pixels = 0
        for start in stride(from: 0, to: count, by: chunk) {
            let batch = SynthBatch(world.samples(start..<min(start + chunk, count)))
            let truth = PoseValues.rows(of: PoseHeadTrainer.targets(batch.poses))
            // L1 of the decoder's own output, as training logs it; the judge reads the picture.
            let decoded = vae.reconstruct(batch.images)
            l1 += decoded.sumAbsDifference(batch.images)
            let reconstructions = decoded.clampedToPictureRange()
            pixels += batch.images.count
            let (readRenders, readReconstructions) = (judge.estimate(batch.images), judge.estimate(reconstructions))
            onRenders.add(predicted: readRenders, truth: truth)
            onReconstructions.add(predicted: readReconstructions, truth: truth)
            for row in truth.indices {
                try each(Pair(index: start + row, render: batch.images.batchRow(row), reconstruction: reconstructions.batchRow(row),
                              truth: truth[row], readOnRender: readRenders[row], readOnReconstruction: readReconstructions[row]))
            }
        }
        return ReconstructionFidelity(reconstructionL1: Float(l1 / Double(max(pixels, 1))), judgeOnRenders: onRenders,
                                      judgeOnReconstructions: onReconstructions)
    }
}
