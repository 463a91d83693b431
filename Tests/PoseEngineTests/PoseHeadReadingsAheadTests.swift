import Testing
@testable import PoseEngine

/// A pose head can train on latents as guidance reading ahead shows them: the UNet's predicted
/// clean latent from a noisier timestep, noised again to the timestep the head reads at.
@Suite struct PoseHeadReadingsAheadTests {
    /// With the true noise for eps, the predicted clean latent is the clean latent itself, so the
    /// reading is that latent noised to the lower timestep with the same noise.
    @Test func aReadingWithTheTrueNoiseIsTheCleanLatentAtTheLowerTimestep() {
        let (clean, noise) = (randomTensor([1, 4, 3, 3], seed: 1), randomTensor([1, 4, 3, 3], seed: 2))
        let (high, low): (Float, Float) = (0.05, 0.7)
        let x = combine(high.squareRoot(), clean, (1 - high).squareRoot(), noise)
        let reading = GuidanceLookahead.reading(x, eps: noise, alphaBar: high, aheadAlphaBar: low)
        let expected = combine(low.squareRoot(), clean, (1 - low).squareRoot(), noise)
        #expect(zip(reading.scalars, expected.scalars).allSatisfy { abs($0 - $1) <= 1e-4 })
    }

    /// A share of 0 reads no row ahead and draws nothing; otherwise each chosen row starts from a
    /// timestep above its own, up to the last, and rows already at the last stay as they are.
    @Test func rowsReadAheadStartAboveTheirOwnTimestep() throws {
        var trainer = try TinyTrainingModels().poseHeadTrainer(seed: 3)
        var generator = SeededGenerator(seed: 9), untouched = generator
        #expect(trainer.aheadTimesteps([10, 500], generator: &generator).allSatisfy { $0 == nil })
        #expect(generator.next() == untouched.next(), "a share of 0 draws nothing")

        trainer.readingsAheadShare = 1
        let timesteps: [Float] = Array(repeating: 0, count: 300) + Array(repeating: 700, count: 300) + [999]
        let from = trainer.aheadTimesteps(timesteps, generator: &generator)
        #expect(from.last == .some(nil), "no timestep lies above the last")
        for (t, start) in zip(timesteps.dropLast(), from.dropLast()) {
            let start = try #require(start)
            #expect(start > t && start <= 999 && start == start.rounded(), "from \(start) for \(t)")
        }
        let fromZero = from.prefix(300).compactMap { $0 }, fromMiddle = from[300..<600].compactMap { $0 }
        #expect(fromZero.contains { $0 < 100 } && fromZero.contains { $0 > 900 }, "uniform above 0")
        #expect(fromMiddle.contains { $0 < 730 } && fromMiddle.contains { $0 > 970 }, "uniform above 700")

        trainer.readingsAheadShare = 0.5
        let half = trainer.aheadTimesteps(Array(repeating: 100, count: 400), generator: &generator).filter { $0 != nil }.count
        #expect((150...250).contains(half), "\(half) of 400 rows read ahead at a share of 0.5")
    }

    /// A row read ahead holds its render's latent noised to the noisier timestep, predicted clean
    /// by the UNet under the row's own context and noised again to the row's timestep with the
    /// predicted noise; the other rows are what they are without reading ahead.
    @Test func theRowsReadAheadHoldTheUNetsReadingOfTheirLatent() throws {
        let tiny = try TinyTrainingModels()
        let trainer = try tiny.poseHeadTrainer(seed: 3)
        let batch = tiny.batches.batch(0)
        let timesteps: [Float] = [100, 200]
        var plainDraws = SeededGenerator(seed: 5), aheadDraws = SeededGenerator(seed: 5)
        let plain = trainer.inputs(batch, timesteps: timesteps, aheadFrom: [nil, nil], generator: &plainDraws, dropConditioning: false)
        let mixed = trainer.inputs(batch, timesteps: timesteps, aheadFrom: [nil, 700], generator: &aheadDraws, dropConditioning: false)
        #expect(mixed.latents.batchRow(0).scalars == plain.latents.batchRow(0).scalars)
        #expect(mixed.context.scalars == plain.context.scalars)

        // By hand: after the plain inputs' draws, the row's start noise is the next one drawn.
        let clean = (tiny.vae.encode(batch.images).mean * tiny.vae.config.scalingFactor).batchRow(1)
        let (high, low) = (DiffusionTrainer.alphasCumprod[700], DiffusionTrainer.alphasCumprod[200])
        let start = combine(high.squareRoot(), clean, (1 - high).squareRoot(), Tensor.randomNormal(clean.shape, generator: &plainDraws))
        let eps = tiny.unet.forward(start, timesteps: [700], context: plain.context.batchRow(1)).sample
        let predicted = combine(1 / high.squareRoot(), start, -((1 - high) / high).squareRoot(), eps)
        let expected = combine(low.squareRoot(), predicted, (1 - low).squareRoot(), eps)
        let got = mixed.latents.batchRow(1)
        #expect(zip(got.scalars, expected.scalars).allSatisfy { abs($0 - $1) <= 1e-4 * (1 + abs($1)) })
        #expect(zip(got.scalars, plain.latents.batchRow(1).scalars).contains { abs($0 - $1) > 1e-2 })
    }

    /// A training step with every row read ahead learns as a plain one does.
    @Test func aHeadLearnsFromReadingsAhead() throws {
        var trainer = try TinyTrainingModels().poseHeadTrainer(seed: 13)
        trainer.readingsAheadShare = 1
        let losses = trainer.lossesTraining(steps: 30).map { $0["loss"] ?? .nan }
        #expect(losses[0].isFinite && losses[29] < 0.5 * losses[0], "pose head loss \(losses[0]) -> \(losses[29])")
        let mae = trainer.meanAbsoluteError(timestep: 150, aheadFrom: 900, batches: 0..<1)
        #expect(mae.array.allSatisfy { $0.isFinite && $0 >= 0 })
    }
}
