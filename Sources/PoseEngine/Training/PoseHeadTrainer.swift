import Foundation

/// Trains the Mid-U readout head on noisy latents of labelled renders with the
/// base model frozen: features = UNet down path + mid block at (x_t, t, context),
/// target = the render's normalised pose. Contexts are dropped as in the
/// UNet's training so the head reads every guidance branch.
public struct PoseHeadTrainer {
    public let head: PoseReadoutHead
    public let unet: UNet2DConditionModel
    public let textEncoder: TextEncoder
    public let projector: FaceProjector
    public let vae: AutoencoderKL
    public let batches: SynthBatches
    public let faces: IdentityEmbeddings
    public let seed: UInt64
    /// Each quantity's weight in the squared-error loss (pitch, yaw, x, y, scale); all 1 by
    /// default, so every normalised quantity counts alike.
    public var quantityWeights = [Float](repeating: 1, count: PoseValues.count)
    /// Training timesteps are drawn below this one (default: every timestep). A head that
    /// guides through `GuidanceLookahead` only ever reads latents at or below the lookahead
    /// timestep, so it can spend all it has on them.
    public var timestepLimit = DiffusionTrainer.trainTimesteps
    /// Share of each batch's rows read as guidance reading ahead shows the head a latent (see
    /// `inputs`) instead of a render's latent noised: reading ahead shows the head the UNet's
    /// view of the picture, blurred by the noise it came from, which plain noising never does.
    public var readingsAheadShare: Float = 0
    /// RMS per latent element of a push toward a decoy pose each row is also read after
    /// (`pushedTowardDecoys`); 0 reads each row once, as it is.
    public var decoyPush: Float = 0

    /// "loss" is the rows' own, as without pushes; "pushed_loss" the pushed rows'.
    public var lossColumns: [String] { decoyPush > 0 ? ["loss", "pushed_loss"] : ["loss"] }

    public init(head: PoseReadoutHead, unet: UNet2DConditionModel, textEncoder: TextEncoder, projector: FaceProjector,
                vae: AutoencoderKL, batches: SynthBatches, faces: IdentityEmbeddings, seed: UInt64) {
        (self.head, self.unet, self.textEncoder, self.projector) = (head, unet, textEncoder, projector)
        (self.vae, self.batches, self.faces, self.seed) = (vae, batches, faces, seed)
        for frozen: ParameterVisitable in [unet, textEncoder, projector, vae] { frozen.setRequiresGradient(false) }
    }

    /// Normalised pose targets [N, 5] from a batch's [N, 6] labels (pitch, yaw, roll, x, y, scale).
    public static func targets(_ poses: Tensor) -> Tensor {
        PoseValues.tensor((0..<poses.shape[0]).map { r in
            let p = Array(poses.scalars[(r * 6)..<(r * 6 + 6)])
            return PoseValues(pitch: p[0], yaw: p[1], x: p[3], y: p[4], scale: p[5])
        })
    }

    /// Down-path features of the batch at `timesteps`, with its conditioning (see `inputs`).
    func features(_ batch: SynthBatch, timesteps: [Float], aheadFrom: [Float?], generator: inout SeededGenerator,
                  dropConditioning: Bool) -> UNetDownPath {
        let (latents, context) = inputs(batch, timesteps: timesteps, aheadFrom: aheadFrom, generator: &generator,
                                        dropConditioning: dropConditioning)
        return unet.forwardDownPath(latents, timesteps: timesteps, context: context)
    }

    /// The latents the head reads for a batch at `timesteps`, and their conditioning. A row with
    /// a timestep in `aheadFrom` is read as guidance reading ahead shows the head a latent: noised
    /// to that noisier timestep, its clean latent predicted by the UNet, and noised again to the
    /// row's timestep with the predicted noise (`GuidanceLookahead.reading`). Other rows are the
    /// render's latent noised to the row's timestep.
    func inputs(_ batch: SynthBatch, timesteps: [Float], aheadFrom: [Float?], generator: inout SeededGenerator,
                dropConditioning: Bool) -> (latents: Tensor, context: Tensor) {
        let n = batch.prompts.count
        let latents = vae.encode(batch.images).mean * vae.config.scalingFactor
        let prompts = batch.prompts.map { dropConditioning && generator.nextUniform() < 0.15 ? "" : $0 }
        let keep = (0..<n).map { _ in !(dropConditioning && generator.nextUniform() < 0.1) }
        let embeddings = Tensor(shape: [n, projector.config.embeddingDim],
                                scalars: batch.identityIndices.flatMap { faces.vectors[$0] })
        let context = FaceConditioning.replaceLastTokens(of: textEncoder.encode(prompts), with: projector.forward(embeddings), keep: keep)
        let noise = Tensor.randomNormal(latents.shape, generator: &generator)
        var noisy = DiffusionTrainer.noised(latents, noise: noise, timesteps: timesteps)
        let ahead = aheadFrom.enumerated().compactMap { row, from in from.map { (row: row, from: $0) } }
        if !ahead.isEmpty {
            let readings = self.readings(of: Tensor.stacked(ahead.map { latents.batchRow($0.row) }), from: ahead.map(\.from),
                                         to: ahead.map { timesteps[$0.row] },
                                         context: Tensor.stacked(ahead.map { context.batchRow($0.row) }), generator: &generator)
            let plane = latents.count / n
            for (k, row) in ahead.map(\.row).enumerated() {
                for i in 0..<plane { noisy.scalars[row * plane + i] = readings.scalars[k * plane + i] }
            }
        }
        return (noisy, context)
    }

    /// Clean latents [K, ...] noised to `from`, predicted clean by the UNet under `context`, and
    /// noised again to `to` with the predicted noise: one reading ahead each.
    func readings(of latents: Tensor, from: [Float], to: [Float], context: Tensor, generator: inout SeededGenerator) -> Tensor {
        let start = DiffusionTrainer.noised(latents, noise: Tensor.randomNormal(latents.shape, generator: &generator), timesteps: from)
        let eps = unet.forward(start, timesteps: from, context: context).sample
        let alphaBars = DiffusionTrainer.alphasCumprod
        return Tensor.stacked(from.indices.map { k in
            GuidanceLookahead.reading(start.batchRow(k), eps: eps.batchRow(k), alphaBar: alphaBars[Int(from[k])],
                                      aheadAlphaBar: alphaBars[Int(to[k])])
        })
    }

    /// Which rows of a training batch at `timesteps` are read ahead, and from where: each with
    /// probability `readingsAheadShare`, from a timestep drawn uniformly above its own. Draws
    /// nothing when the share is 0, so such runs see the batches they always did.
    func aheadTimesteps(_ timesteps: [Float], generator: inout SeededGenerator) -> [Float?] {
        guard readingsAheadShare > 0 else { return timesteps.map { _ in nil } }
        let top = Float(DiffusionTrainer.trainTimesteps - 1)
        return timesteps.map { t in
            guard generator.nextUniform() < readingsAheadShare, t < top else { return nil }
            return min(t + 1 + (generator.nextUniform() * (top - t)).rounded(.down), top)
        }
    }

    /// The draws of training step `index`: its timesteps, readings ahead, conditioning and noise.
    func stepGenerator(_ index: Int) -> SeededGenerator {
        SeededGenerator(seed: seed &+ UInt64(index) &* 0xA5A5)
    }

    public func step(_ index: Int) -> [String: Float] {
        let batch = batches.batch(index)
        var generator = stepGenerator(index)
        let timesteps = DiffusionTrainer.drawTimesteps(batch.prompts.count, below: timestepLimit, generator: &generator)
        let aheadFrom = aheadTimesteps(timesteps, generator: &generator)
        var (latents, context) = inputs(batch, timesteps: timesteps, aheadFrom: aheadFrom, generator: &generator,
                                        dropConditioning: true)
        var (read, target) = (timesteps, Self.targets(batch.poses))
        if decoyPush > 0 {
            // The command line refuses a batch of one; a row cannot be its own decoy.
            guard batch.prompts.count > 1 else { fatalError("decoy pushes need a batch of two rows or more") }
            let pushed = pushedTowardDecoys(latents, timesteps: timesteps, context: context, decoys: Self.decoys(for: target))
            (latents, context) = (Tensor.stacked([latents, pushed]), Tensor.stacked([context, context]))
            (read, target) = (timesteps + timesteps, Tensor.stacked([target, target]))
        }
        let prediction = head.forward(unet.forwardDownPath(latents, timesteps: read, context: context), timesteps: read)
        // Squared errors summed over the rows as they are, then over the pushed rows, if any.
        var losses: [Float] = [0, 0]
        let ownCount = timesteps.count * PoseValues.count
        var grad = Tensor(uninitialized: prediction.shape)
        for i in 0..<prediction.count {
            let (d, w) = (prediction.scalars[i] - target.scalars[i], quantityWeights[i % PoseValues.count])
            losses[i < ownCount ? 0 : 1] += w * d * d
            grad.scalars[i] = 2 * w * d / Float(prediction.count)
        }
        _ = head.backward(grad)
        var logged = ["loss": losses[0] / Float(ownCount)]
        if decoyPush > 0 { logged["pushed_loss"] = losses[1] / Float(ownCount) }
        return logged
    }

    /// Mean absolute error per pose quantity (in DESIGN units) at a fixed timestep,
    /// on batches the training never saw; with `aheadFrom`, on readings ahead from that
    /// noisier timestep (see `inputs`).
    public func meanAbsoluteError(timestep: Int, aheadFrom: Int? = nil, batches indices: Range<Int>) -> PoseValues {
        var sums = [Float](repeating: 0, count: PoseValues.count)
        var count: Float = 0
        for index in indices {
            let batch = batches.batch(index)
            var generator = SeededGenerator(seed: seed ^ 0xE7A1 &+ UInt64(index))
            let timesteps = [Float](repeating: Float(timestep), count: batch.prompts.count)
            let from = [Float?](repeating: aheadFrom.map(Float.init), count: timesteps.count)
            let path = features(batch, timesteps: timesteps, aheadFrom: from, generator: &generator, dropConditioning: false)
            let predicted = PoseValues.rows(of: head.forward(path, timesteps: timesteps))
            let truth = PoseValues.rows(of: Self.targets(batch.poses))
            for (p, t) in zip(predicted, truth) {
                for q in 0..<PoseValues.count { sums[q] += abs(p.array[q] - t.array[q]) }
                count += 1
            }
        }
        return PoseValues(array: sums.map { $0 / max(count, 1) })
    }
}
