import Testing
@testable import PoseEngine

/// A pose head can train on latents pushed toward a decoy pose, as guidance pushes them.
@Suite struct PoseHeadDecoyPushTests {
    /// Each row moves by the asked RMS, and its reading moves toward its decoy; the head's
    /// parameter gradients are left at zero.
    @Test func aPushMovesEachRowsReadingTowardItsDecoy() throws {
        let tiny = try TinyTrainingModels()
        var trainer = try tiny.poseHeadTrainer(seed: 3)
        trainer.decoyPush = 0.05
        let batch = tiny.batches.batch(0)
        let timesteps: [Float] = [100, 300]
        var generator = SeededGenerator(seed: 5)
        let (latents, context) = trainer.inputs(batch, timesteps: timesteps, aheadFrom: [nil, nil], generator: &generator,
                                                dropConditioning: false)
        let targets = PoseHeadTrainer.targets(batch.poses)
        let decoys = PoseHeadTrainer.decoys(for: targets)
        #expect(decoys.batchRow(0).scalars == targets.batchRow(1).scalars && decoys.batchRow(1).scalars == targets.batchRow(0).scalars)

        let pushed = trainer.pushedTowardDecoys(latents, timesteps: timesteps, context: context, decoys: decoys)
        var gradientSum: Float = 0
        trainer.head.visitParameters { _, p in gradientSum += p.gradient.scalars.reduce(0) { $0 + abs($1) } }
        #expect(gradientSum == 0, "the probe leaves no parameter gradient")

        func reading(_ x: Tensor) -> Tensor {
            trainer.head.forward(tiny.unet.forwardDownPath(x, timesteps: timesteps, context: context), timesteps: timesteps)
        }
        let (before, after) = (reading(latents), reading(pushed))
        let plane = latents.count / 2
        for row in 0..<2 {
            let span = (row * plane)..<((row + 1) * plane)
            let moved = zip(pushed.scalars[span], latents.scalars[span]).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            #expect(abs((moved / Float(plane)).squareRoot() - 0.05) < 1e-4, "row \(row) moved by RMS \((moved / Float(plane)).squareRoot())")
            func miss(_ r: Tensor) -> Float {
                zip(r.batchRow(row).scalars, decoys.batchRow(row).scalars).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
            #expect(miss(after) < miss(before), "row \(row): \(miss(before)) -> \(miss(after))")
        }
    }

    /// Without a push, a step's loss is the squared error of the head's reading of the batch's
    /// noisy latents, drawn as they always were; with one, the rows as they are keep that loss
    /// and the pushed rows get their own, and a head learns to read both.
    @Test func aStepWithPushesLearnsAndWithoutIsUnchanged() throws {
        let tiny = try TinyTrainingModels()
        let plain = try tiny.poseHeadTrainer(seed: 13)
        var generator = plain.stepGenerator(0)
        let batch = tiny.batches.batch(0)
        let timesteps = DiffusionTrainer.drawTimesteps(batch.prompts.count, below: plain.timestepLimit, generator: &generator)
        let aheadFrom = plain.aheadTimesteps(timesteps, generator: &generator)
        let reading = plain.head.forward(plain.features(batch, timesteps: timesteps, aheadFrom: aheadFrom, generator: &generator,
                                                        dropConditioning: true), timesteps: timesteps)
        let target = PoseHeadTrainer.targets(batch.poses)
        let expected = zip(reading.scalars, target.scalars).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Float(reading.count)
        plain.head.zeroGradients()
        let losses = plain.step(0)
        #expect(losses.keys.sorted() == ["loss"] && abs((losses["loss"] ?? .nan) - expected) <= 1e-6 * expected,
                "\(losses) against \(expected)")

        var trainer = try TinyTrainingModels().poseHeadTrainer(seed: 13)
        trainer.decoyPush = 0.05
        let pushed = trainer.lossesTraining(steps: 30)
        let (pushedOwn, plainOwn) = (pushed[0]["loss"] ?? .nan, losses["loss"] ?? .nan)
        #expect(abs(pushedOwn - plainOwn) <= 1e-5 * plainOwn, "the rows as they are read as without a push: \(pushedOwn), \(plainOwn)")
        let (first, last) = (pushed[0]["pushed_loss"] ?? .nan, pushed[29]["pushed_loss"] ?? .nan)
        #expect(first.isFinite && first != pushed[0]["loss"] && last < 0.5 * first, "pushed rows' loss \(first) -> \(last)")
    }
}
