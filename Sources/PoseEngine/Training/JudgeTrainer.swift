import Foundation

/// Trains the PoseJudge on renders with exact labels (optionally part of each batch as a VAE's
/// decodings of them): smooth-L1 between its output and the normalised pose (pitch, yaw, x, y,
/// scale).
public struct JudgeTrainer {
    public let judge: PoseJudge
    public let batches: SynthBatches
    /// Where smooth-L1 turns from quadratic to linear, in normalised units: small
    /// enough that late training chases the absolute errors the judge is held to.
    public var huberWidth: Float = 0.02
    /// When set, this share of each batch reaches the judge as VAE decodings of its renders.
    public var roundTrips: VAERoundTrips?

    /// Per-quantity loss weights, inversely proportional to each quantity's accepted
    /// error in normalised units (pitch 3/45, yaw 3/90, x and y 0.02/0.5, scale
    /// 0.03/0.325), relative to pitch: an error counts as much as its tolerance allows.
    public static let quantityWeights: [Float] = [1, 2, 5.0 / 3, 5.0 / 3, 0.72]

    /// The loss, then each quantity's mean absolute error on the batch in DESIGN units.
    public static let lossColumns = ["loss"] + PoseValues.names.map { "mae_\($0)" }

    public init(judge: PoseJudge, batches: SynthBatches) {
        self.judge = judge
        self.batches = batches
    }

    public func step(_ index: Int) -> [String: Float] {
        let batch = batches.batch(index)
        let prediction = judge.forward(roundTrips?.apply(to: batch.images) ?? batch.images)
        let target = PoseHeadTrainer.targets(batch.poses)
        let (loss, gradient) = Self.smoothL1(prediction, target, width: huberWidth, weights: Self.quantityWeights)
        _ = judge.backward(gradient)
        var errors = PoseAbsoluteErrors()
        errors.add(predicted: PoseValues.rows(of: prediction), truth: PoseValues.rows(of: target))
        var losses = ["loss": loss]
        for (name, value) in zip(PoseValues.names, errors.mean.array) { losses["mae_\(name)"] = value }
        return losses
    }

    /// Weighted smooth-L1 averaged over rows and quantities, and its gradient.
    static func smoothL1(_ prediction: Tensor, _ target: Tensor, width: Float, weights: [Float]) -> (Float, Tensor) {
        let columns = weights.count
        let count = Float(prediction.count)
        var loss: Float = 0
        var gradient = Tensor(uninitialized: prediction.shape)
        for i in 0..<prediction.count {
            let w = weights[i % columns]
            let d = prediction.scalars[i] - target.scalars[i]
            if abs(d) < width {
                loss += w * 0.5 * d * d / width
                gradient.scalars[i] = w * d / width / count
            } else {
                loss += w * (abs(d) - 0.5 * width)
                gradient.scalars[i] = w * (d > 0 ? 1 : -1) / count
            }
        }
        return (loss / count, gradient)
    }

    /// The judge's errors on `count` fresh renders of a world seeded with `seed`, over all of
    /// them, per style and per head size; given a VAE, also on its decodings of the same renders,
    /// drawn once for both.
    public static func heldOutErrors(judge: PoseJudge, seed: UInt64, identityCount: Int, count: Int,
                                     alsoThrough vae: AutoencoderKL? = nil, chunk: Int = 64)
        -> (renders: PoseErrorBreakdown, decodings: PoseErrorBreakdown?) {
        let world = SynthDataset(seed: seed, imageSize: judge.config.imageSize, identityCount: identityCount)
        var renders = PoseErrorBreakdown()
        var decodings = vae.map { _ in PoseErrorBreakdown() }
        for start in stride(from: 0, to: count, by: chunk) {
            let samples = world.samples(start..<min(start + chunk, count))
            let batch = SynthBatch(samples)
            let truth = PoseValues.rows(of: PoseHeadTrainer.targets(batch.poses))
            let styles = samples.map(\.spec.scene.style)
            renders.add(predicted: judge.estimate(batch.images), truth: truth, styles: styles)
            if let vae {
                decodings?.add(predicted: judge.estimate(vae.reconstruct(batch.images).clampedToPictureRange()), truth: truth, styles: styles)
            }
        }
        return (renders, decodings)
    }
}
