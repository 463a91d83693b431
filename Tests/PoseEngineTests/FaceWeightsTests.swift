import Testing
@testable import PoseEngine

@Suite struct FaceWeightsTests {
    /// Poses [N, 6] as SynthBatch lays them out: pitch, yaw, roll, x, y, scale.
    static func poses(_ rows: [(x: Float, y: Float, scale: Float)]) -> Tensor {
        Tensor(shape: [rows.count, 6], scalars: rows.flatMap { [0, 0, 0, $0.x, $0.y, $0.scale] })
    }

    @Test func theWeightPeaksOnTheHeadAndFadesToOneFarFromIt() {
        let size = 32
        let weights = FaceWeights(extra: 5, spread: 0.3).map(poses: Self.poses([(x: 0.25, y: -0.25, scale: 0.3)]), size: size)
        var best = (value: Float(0), row: 0, column: 0)
        for row in 0..<size {
            for column in 0..<size where weights.scalars[row * size + column] > best.value {
                best = (weights.scalars[row * size + column], row, column)
            }
        }
        // The head's centre is at (0.75, 0.25) of the picture: pixel (24, 8).
        #expect(abs(best.column - 24) <= 1 && abs(best.row - 8) <= 1, "peak at column \(best.column), row \(best.row)")
        #expect(best.value > 5.5 && best.value <= 6)
        let farCorner = weights.scalars[(size - 1) * size]
        #expect(farCorner >= 1 && farCorner < 1.001)
    }

    @Test func aBiggerHeadSpreadsTheWeightWider() {
        let size = 32
        let weights = FaceWeights().map(poses: Self.poses([(x: 0, y: 0, scale: 0.2), (x: 0, y: 0, scale: 0.6)]), size: size)
        let offCentre = 16 * size + 16 + 6
        #expect(weights.scalars[size * size + offCentre] > weights.scalars[offCentre] + 1)
    }

    @Test func everyElementOfASampleReadsThatSamplesPlane() {
        let size = 16
        // Two heads in opposite corners: each sample's channels must see its own head.
        let weights = FaceWeights().map(poses: Self.poses([(x: -0.3, y: -0.3, scale: 0.3), (x: 0.3, y: 0.3, scale: 0.3)]), size: size)
        let channels = 4
        func flat(_ n: Int, _ c: Int, _ row: Int, _ column: Int) -> Int { ((n * channels + c) * size + row) * size + column }
        for c in 0..<channels {
            let firstHead = (row: 3, column: 3), secondHead = (row: 12, column: 12)
            #expect(FaceWeights.weight(weights, atFlat: flat(0, c, firstHead.row, firstHead.column), channels: channels) > 5)
            #expect(FaceWeights.weight(weights, atFlat: flat(0, c, secondHead.row, secondHead.column), channels: channels) < 1.01)
            #expect(FaceWeights.weight(weights, atFlat: flat(1, c, secondHead.row, secondHead.column), channels: channels) > 5)
            #expect(FaceWeights.weight(weights, atFlat: flat(1, c, firstHead.row, firstHead.column), channels: channels) < 1.01)
        }
    }

    @Test func noExtraWeightMeansThePlainLoss() throws {
        let vae = try AutoencoderKL(config: TrainingLoopTests.vaeConfig, seed: 1)
        var trainer = VAETrainer(vae: vae, batches: SynthBatches(seed: 3, imageSize: 16, identityCount: 4, batchSize: 2), noiseSeed: 5)
        trainer.faceWeights = FaceWeights(extra: 0)
        let plain = trainer.step(0)
        let (loss, l1, l2) = try (#require(plain["loss"]), #require(plain["l1"]), #require(plain["l2"]))
        #expect(abs(loss - (l1 + l2 + trainer.klWeight * (plain["kl"] ?? 0))) < 1e-4 * loss)
        trainer.faceWeights = FaceWeights(extra: 5)
        let weighted = trainer.step(0)
        #expect((weighted["loss"] ?? 0) > loss, "the face's pixels count more")
        #expect(weighted["l1"] == l1, "the logged l1 stays the plain mean")
    }

    @Test func anEdgeWeightAddsTheEdgeTermToLossAndGradient() throws {
        let vae = try AutoencoderKL(config: TrainingLoopTests.vaeConfig, seed: 1)
        var trainer = VAETrainer(vae: vae, batches: SynthBatches(seed: 3, imageSize: 16, identityCount: 4, batchSize: 2), noiseSeed: 5)
        trainer.faceWeights = FaceWeights(extra: 0)
        func stepGradients() -> (values: [String: Float], gradients: [Float]) {
            vae.zeroGradients()
            let values = trainer.step(0)
            return (values, vae.namedParameters().flatMap { $0.parameter.gradient.scalars })
        }
        let without = stepGradients()
        trainer.edgeWeight = 2
        let with = stepGradients()
        let edge = try #require(without.values["edge"])
        #expect(edge > 0 && with.values["edge"] == edge, "logged either way, unweighted")
        let difference = (with.values["loss"] ?? 0) - (without.values["loss"] ?? 0)
        #expect(abs(difference - 2 * edge) < 1e-4 * (without.values["loss"] ?? 1))
        #expect(zip(with.gradients, without.gradients).contains { abs($0 - $1) > 1e-6 }, "the term reaches the weights")
    }
}
