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

    /// With a push, a step reads every row twice (as it is and pushed) against the row's own pose,
    /// and a head still learns; without one, a step is what it always was.
    @Test func aStepWithPushesLearnsAndWithoutIsUnchanged() throws {
        let plain = try TinyTrainingModels().poseHeadTrainer(seed: 13)
        var unpushed = try TinyTrainingModels().poseHeadTrainer(seed: 13)
        unpushed.decoyPush = 0
        #expect(plain.step(0) == unpushed.step(0))

        var trainer = try TinyTrainingModels().poseHeadTrainer(seed: 13)
        trainer.decoyPush = 0.05
        let losses = trainer.lossesTraining(steps: 30)
        #expect(losses[0].isFinite && losses[29] < 0.5 * losses[0], "pose head loss \(losses[0]) -> \(losses[29])")
    }
}
