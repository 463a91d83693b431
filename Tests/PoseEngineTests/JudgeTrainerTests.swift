import Foundation
import Testing
@testable import PoseEngine

/// The judge's loss, its gradient and its training step.
@Suite struct JudgeTrainerTests {
    static let config = ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4, outputDim: 5, hiddenDim: 16)

    @Test func smoothL1GradientMatchesFiniteDifferences() {
        // Differences on both sides of the quadratic zone's edge.
        let target = randomTensor([3, 5], seed: 8, std: 0.5)
        let prediction = target + randomTensor([3, 5], seed: 9, std: 0.2)
        let weights = JudgeTrainer.quantityWeights
        GradientCheck(epsilon: 1e-3, tolerance: 2e-2, samplesPerTensor: 15).verify(
            inputs: [prediction], parameters: [],
            run: { Tensor(shape: [1], scalars: [JudgeTrainer.smoothL1($0[0], target, width: 0.1, weights: weights).0]) },
            backward: { r in [JudgeTrainer.smoothL1(prediction, target, width: 0.1, weights: weights).1 * r.scalars[0]] })
    }

    @Test func smoothL1IsQuadraticInsideAndLinearOutside() {
        let zero = Tensor(zeros: [1, 5])
        let weights = [Float](repeating: 1, count: 5)
        let small = JudgeTrainer.smoothL1(Tensor(shape: [1, 5], scalars: [0.05, 0, 0, 0, 0]), zero, width: 0.1, weights: weights).0
        let large = JudgeTrainer.smoothL1(Tensor(shape: [1, 5], scalars: [1, 0, 0, 0, 0]), zero, width: 0.1, weights: weights).0
        #expect(abs(small - 0.5 * 0.05 * 0.05 / 0.1 / 5) < 1e-7)
        #expect(abs(large - (1 - 0.05) / 5) < 1e-6)
    }

    @Test func repeatedStepsOnOneBatchLowerTheLoss() throws {
        let judge = try PoseJudge(config: Self.config, seed: 2)
        let trainer = JudgeTrainer(judge: judge, batches: SynthBatches(seed: 3, imageSize: 16, identityCount: 10, batchSize: 6))
        let optimizer = AdamW(learningRate: 3e-3, weightDecay: 0)
        let parameters = judge.namedParameters().map { ($0.name, $0.parameter) }
        var losses: [Float] = []
        for _ in 0..<40 {
            let step = trainer.step(0)
            losses.append(step["loss"] ?? .nan)
            #expect(Set(step.keys) == Set(JudgeTrainer.lossColumns))
            optimizer.update(parameters)
        }
        #expect(losses[0].isFinite && losses[39] < 0.5 * losses[0], "judge loss \(losses[0]) -> \(losses[39])")
    }

    /// The judge is stored in half precision and reads what it read before, to rounding; a
    /// component that samples (here the face encoder) keeps full precision.
    @Test func aSavedJudgeIsHalfPrecisionAndReadsAsBefore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("judge-f16-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let judge = try PoseJudge(config: Self.config, seed: 4)
        try judge.save(to: folder.appendingPathComponent("judge"))
        let file = try SafeTensors.read(folder.appendingPathComponent("judge/model.safetensors").path)
        #expect(!file.entries.isEmpty && file.entries.allSatisfy { $0.dtype == .f16 })
        let images = randomTensor([3, 3, 16, 16], seed: 6, std: 0.5)
        let before = judge.forward(images).scalars
        let after = try PoseJudge.load(from: folder.appendingPathComponent("judge")).forward(images).scalars
        let scale = before.map(abs).max() ?? 0
        #expect(before != after, "the weights were rounded")
        #expect(zip(before, after).allSatisfy { abs($0 - $1) <= 2e-3 * max(scale, 1) }, "\(before) against \(after)")
        let encoder = try FaceEncoder(config: ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4,
                                                                outputDim: 8, hiddenDim: 16), seed: 4)
        try encoder.save(to: folder.appendingPathComponent("face_encoder"))
        let encoderFile = try SafeTensors.read(folder.appendingPathComponent("face_encoder/model.safetensors").path)
        #expect(encoderFile.entries.allSatisfy { $0.dtype == .f32 })

        // A weight past half precision's range is refused, not stored as infinity.
        let weight = try #require(judge.namedParameters().first?.parameter)
        weight.value = Tensor(shape: weight.value.shape, scalars: [70000] + weight.value.scalars.dropFirst())
        #expect(throws: SafeTensorsError.self) { try judge.save(to: folder.appendingPathComponent("too-large")) }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("too-large").path), "nothing written")
    }

    @Test func heldOutErrorsCountEveryRender() throws {
        let judge = try PoseJudge(config: Self.config, seed: 2)
        let (errors, decodings) = JudgeTrainer.heldOutErrors(judge: judge, seed: 5, identityCount: 10, count: 7, chunk: 3)
        #expect(decodings == nil)
        #expect(errors.count == 7)
        #expect(errors.mean.array.allSatisfy { $0.isFinite && $0 > 0 })
        // Each render lands in its style's line, and the lines average back to the whole.
        #expect(errors.styles.map(\.errors.count).reduce(0, +) == 7)
        let pooledYaw = errors.styles.map { Double($0.errors.mean.yaw) * Double($0.errors.count) }.reduce(0, +) / 7
        #expect(abs(pooledYaw - Double(errors.mean.yaw)) < 1e-4)
        #expect(errors.sizes.map(\.errors.count).reduce(0, +) == 7)
    }

    static let vaeConfig = AutoencoderKLConfig(blockOutChannels: [8, 8], layersPerBlock: 1, latentChannels: 4,
                                               normNumGroups: 4, sampleSize: 16, scalingFactor: 0.5)

    /// The first rows, and only they, become the VAE's clamped decodings; the share rounds to
    /// whole rows and never sends none.
    @Test func roundTripsReplaceTheFirstRowsWithClampedDecodings() throws {
        let vae = try AutoencoderKL(config: Self.vaeConfig, seed: 4)
        let images = SynthBatches(seed: 3, imageSize: 16, identityCount: 10, batchSize: 4).batch(0).images
        let trips = VAERoundTrips(vae: vae, share: 0.5)
        let mixed = trips.apply(to: images)
        let decoded = vae.reconstruct(Tensor(shape: [2, 3, 16, 16], scalars: Array(images.scalars[0..<(2 * 768)])))
        // The clamp has something to do: this decoder's raw output leaves the picture range.
        try #require(decoded.scalars.contains { abs($0) > 1 }, "the test VAE stays within [-1, 1]; scale its output")
        #expect(mixed.shape == images.shape)
        for row in 0..<4 {
            let got = mixed.batchRow(row).scalars
            if row < 2 {
                let want = decoded.batchRow(row).scalars.map { min(max($0, -1), 1) }
                #expect(zip(got, want).allSatisfy { abs($0 - $1) < 1e-6 })
                #expect(got != images.batchRow(row).scalars)
            } else {
                #expect(got == images.batchRow(row).scalars)
            }
        }
        #expect(mixed.scalars.allSatisfy { (-1...1).contains($0) })
        #expect(VAERoundTrips(vae: vae, share: 0.01).count(of: 32) == 1)
        #expect(VAERoundTrips(vae: vae, share: 0.25).count(of: 6) == 2)
        #expect(VAERoundTrips(vae: vae, share: 1).count(of: 5) == 5)
    }

    /// Held out through a VAE, the judge reads other pictures than the renders, of the same count.
    @Test func heldOutErrorsThroughAVAEReadTheDecodings() throws {
        let judge = try PoseJudge(config: Self.config, seed: 2)
        let vae = try AutoencoderKL(config: Self.vaeConfig, seed: 4)
        let (plain, _) = JudgeTrainer.heldOutErrors(judge: judge, seed: 5, identityCount: 10, count: 6, chunk: 4)
        let (renders, decodings) = JudgeTrainer.heldOutErrors(judge: judge, seed: 5, identityCount: 10, count: 6, alsoThrough: vae, chunk: 4)
        let decoded = try #require(decodings)
        // The renders read the same with or without the VAE beside them.
        #expect(renders.mean.array == plain.mean.array)
        #expect(decoded.count == 6)
        #expect(decoded.styles.map(\.errors.count).reduce(0, +) == 6)
        #expect(decoded.mean.array.allSatisfy { $0.isFinite })
        #expect(decoded.mean.array != plain.mean.array)
    }

    /// A training step with round trips still learns its batch.
    @Test func stepsWithRoundTripsLowerTheLoss() throws {
        let judge = try PoseJudge(config: Self.config, seed: 2)
        var trainer = JudgeTrainer(judge: judge, batches: SynthBatches(seed: 3, imageSize: 16, identityCount: 10, batchSize: 6))
        let vae = try AutoencoderKL(config: Self.vaeConfig, seed: 4)
        vae.setRequiresGradient(false)
        trainer.roundTrips = VAERoundTrips(vae: vae, share: 0.5)
        let optimizer = AdamW(learningRate: 3e-3, weightDecay: 0)
        let parameters = judge.namedParameters().map { ($0.name, $0.parameter) }
        // The same judge reads another batch with round trips than without.
        let plain = JudgeTrainer(judge: try PoseJudge(config: Self.config, seed: 2), batches: trainer.batches).step(0)["loss"]
        var losses: [Float] = []
        for _ in 0..<40 {
            losses.append(trainer.step(0)["loss"] ?? .nan)
            optimizer.update(parameters)
        }
        #expect(plain != nil && plain != losses[0], "a step with round trips reads the batch as it is: \(losses[0])")
        #expect(losses[0].isFinite && losses[39] < 0.5 * losses[0], "judge loss with round trips \(losses[0]) -> \(losses[39])")
    }

    /// Each render lands in its true head size's band, and the medians are the middle errors.
    @Test func errorsBreakDownByHeadSizeWithMedians() {
        var errors = PoseErrorBreakdown()
        let truth = [0.3, 0.5, 0.6, 0.8, 0.85].map { PoseValues(pitch: 0, yaw: 0, x: 0, y: 0, scale: $0) }
        let predicted = [(1, 10), (2, 20), (3, 30), (4, 40), (50, 500)].map { p, y in
            PoseValues(pitch: Float(p), yaw: Float(y), x: 0, y: 0, scale: 0.5)
        }
        errors.add(predicted: predicted, truth: truth, styles: [RenderStyle](repeating: .photo, count: 5))
        #expect(errors.sizes.map(\.size) == [.small, .medium, .large, .largest])
        #expect(errors.sizes.map(\.errors.count) == [1, 1, 1, 2])
        #expect(errors.bySize[.largest]?.mean.yaw == 270)
        #expect(errors.medianAngleErrors.pitch == 3 && errors.medianAngleErrors.yaw == 30, "one wild miss moves the mean, not the median")

        errors.add(predicted: [PoseValues(pitch: 5, yaw: 70, x: 0, y: 0, scale: 0.5)], truth: [truth[0]], styles: [.photo])
        #expect(errors.medianAngleErrors.pitch == 3.5 && errors.medianAngleErrors.yaw == 35, "an even count takes the middle two")
        #expect([0.25, 0.4, 0.55, 0.7, 0.9].map { PoseErrorBreakdown.HeadSize(scale: $0) } == [.small, .medium, .large, .largest, .largest],
                "each band includes its lower edge")
    }
}
