import Testing
@testable import PoseEngine

/// Identity-balanced batches and the face encoder's training step.
@Suite struct FaceEncoderTrainerTests {
    static let config = ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4, outputDim: 8, hiddenDim: 16)

    private func trainer(seed: UInt64 = 4) throws -> FaceEncoderTrainer {
        FaceEncoderTrainer(encoder: try FaceEncoder(config: Self.config, seed: 1),
                           dataset: SynthDataset(seed: 9, imageSize: 16, identityCount: 20),
                           identitiesPerBatch: 3, viewsPerIdentity: 2, seed: seed)
    }

    @Test func batchHoldsDistinctPeopleEachSeenUnderDifferentViews() throws {
        let (images, labels) = try trainer().batch(5)
        #expect(images.shape == [6, 3, 16, 16])
        #expect(Set(labels).count == 3)
        #expect(labels.allSatisfy { label in labels.filter { $0 == label }.count == 2 })
        #expect(labels.allSatisfy { (0..<20).contains($0) })
        // The two views of the first person are different pictures.
        let plane = 3 * 16 * 16
        #expect(Array(images.scalars[0..<plane]) != Array(images.scalars[plane..<(2 * plane)]))
    }

    @Test func batchesAreReproducibleAndDifferFromStepToStep() throws {
        let a = try trainer().batch(2), b = try trainer().batch(2), c = try trainer().batch(3)
        #expect(a.labels == b.labels && a.images.scalars == b.images.scalars)
        #expect(a.images.scalars != c.images.scalars)
    }

    @Test func repeatedStepsOnOneBatchLowerTheLoss() throws {
        let trainer = try trainer()
        let optimizer = AdamW(learningRate: 3e-3, weightDecay: 0)
        let parameters = trainer.encoder.namedParameters().map { ($0.name, $0.parameter) }
        var losses: [Float] = []
        for _ in 0..<30 {
            losses.append(trainer.step(0)["loss"] ?? .nan)
            optimizer.update(parameters)
        }
        #expect(losses[0].isFinite && losses[29] < 0.7 * losses[0], "contrastive loss \(losses[0]) -> \(losses[29])")
    }

    @Test func viewsAreDrawnOnlyInTheStylesAsked() {
        var generator = SeededGenerator(seed: 6)
        let identity = SynthDataset(seed: 1, imageSize: 16, identityCount: 3).identity(0)
        let views = (0..<12).map { _ in FaceEncoderTrainer.randomView(of: identity, styles: [.sketch, .cartoon], generator: &generator) }
        #expect(Set(views.map(\.style)) == [.sketch, .cartoon])
        #expect(Set(views.map(\.pose.yaw)).count == 12)
    }

    @Test func styleWeightsSetHowOftenEachStyleIsDrawn() {
        var generator = SeededGenerator(seed: 6)
        let identity = SynthDataset(seed: 1, imageSize: 16, identityCount: 3).identity(0)
        let views = (0..<400).map { _ in
            FaceEncoderTrainer.randomView(of: identity, styleWeights: [2, 0, 1, 1], generator: &generator)
        }
        let counts = Dictionary(grouping: views, by: \.style).mapValues(\.count)
        #expect(counts[.cartoon] == nil)
        // Binomial spreads at 400 draws are about 10 views for a quarter and 10 for a half.
        #expect((170...230).contains(counts[.photo] ?? 0), "\(counts): photo asked for 1 in 2")
        #expect((70...130).contains(counts[.sketch] ?? 0) && (70...130).contains(counts[.painting] ?? 0), "\(counts)")
    }

    @Test func aTrainerWithStyleWeightsDrawsItsBatchesInThoseStyles() throws {
        var weighted = try trainer()
        weighted.styleWeights = [0, 0, 1, 0]
        #expect(Set(weighted.views(1).scenes.map(\.style)) == [.sketch])
        // The people are the same; only how they are drawn changed.
        let plain = try trainer()
        #expect(weighted.views(1).labels == plain.views(1).labels)
        #expect(Set((0..<4).flatMap { plain.views($0).scenes.map(\.style) }).count > 1)
    }

    @Test func heldOutScoresCoverEveryPair() throws {
        let encoder = try FaceEncoder(config: Self.config, seed: 1)
        let scores = FaceEncoderTrainer.heldOutScores(encoder: encoder, seed: 77, identities: 4, views: 3, chunk: 5)
        #expect(scores.sameIdentity.count == 4 * 3)
        #expect(scores.differentIdentity.count == 12 * 11 / 2 - 12)
        #expect(scores.sameIdentity.allSatisfy { $0 <= 1.0001 && $0 >= -1.0001 })
        #expect(scores.rocArea != nil)
    }
}
