import Foundation
import Testing
@testable import PoseEngine

/// Refitting the Face0 projector to another face encoder: the refit projector makes, from
/// the new encoder's embeddings, the tokens the reference pair makes from the same pictures.
@Suite struct FaceProjectorRefitTests {
    static let encoderConfig = ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4, outputDim: 8, hiddenDim: 16)
    static let projectorConfig = FaceProjectorConfig(embeddingDim: 8, hiddenDim: 16, numTokens: 3, crossAttentionDim: 12)

    /// Two unrelated encoders' embeddings of the same 12 people, 3 views each.
    static func tables() throws -> (new: ViewEmbeddings, old: ViewEmbeddings) {
        let world = SynthDataset(seed: 4, imageSize: 16, identityCount: 12)
        let (a, b) = (try FaceEncoder(config: encoderConfig, seed: 5), try FaceEncoder(config: encoderConfig, seed: 6))
        perturbParameters(a, seed: 7, std: 0.3)
        perturbParameters(b, seed: 8, std: 0.3)
        return (ViewEmbeddings.compute(dataset: world, encoder: a, views: 3), ViewEmbeddings.compute(dataset: world, encoder: b, views: 3))
    }

    @Test func viewEmbeddingsAverageIntoTheIdentityEmbeddings() throws {
        let world = SynthDataset(seed: 4, imageSize: 16, identityCount: 3)
        let encoder = try FaceEncoder(config: Self.encoderConfig, seed: 5)
        let views = ViewEmbeddings.compute(dataset: world, encoder: encoder, views: 2, batch: 4)
        #expect(views.vectors.count == 3 && views.vectors.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.count == 8 } })
        #expect(views.vectors[0][0] != views.vectors[0][1], "two views of one person are two pictures")
        // Another batch size: the encoder's matrix products may round differently, not more.
        let identities = IdentityEmbeddings.compute(dataset: world, encoder: encoder, views: 2)
        let averages = views.vectors.map(FaceEmbedding.average)
        #expect(identities.vectors.count == averages.count)
        for (identity, average) in zip(identities.vectors, averages) {
            #expect(identity.count == average.count && zip(identity, average).allSatisfy { abs($0 - $1) < 1e-5 }, "\(identity) against \(average)")
        }
    }

    @Test func refittingBringsTheTokensToTheReferences() throws {
        let (new, old) = try Self.tables()
        let reference = try FaceProjector(config: Self.projectorConfig, seed: 9)
        perturbParameters(reference, seed: 10, std: 0.3)
        let projector = try FaceProjector(config: Self.projectorConfig, seed: 11)
        let before = FaceProjectorRefit.agreement(projector: projector, new: new, reference: reference, old: old)
        let refit = FaceProjectorRefit(projector: projector, reference: reference, new: new, old: old, batchSize: 32, seed: 12)
        let optimizer = AdamW(learningRate: 3e-3, weightDecay: 0)
        let parameters = projector.namedParameters().map { ($0.name, $0.parameter) }
        var losses: [Float] = []
        for step in 0..<150 {
            losses.append(refit.step(step)["loss"] ?? .nan)
            _ = optimizer.update(parameters)
        }
        let after = FaceProjectorRefit.agreement(projector: projector, new: new, reference: reference, old: old)
        #expect(losses.allSatisfy { $0.isFinite })
        #expect(after.relativeError < 0.5 * before.relativeError, "relative error \(before.relativeError) -> \(after.relativeError)")
        #expect(after.cosine > before.cosine)
        // The reference projector is only read.
        #expect(reference.namedParameters().allSatisfy { !$0.parameter.requiresGradient })
    }

    @Test func meanSquaredErrorGradientMatchesFiniteDifferences() {
        let prediction = randomTensor([3, 4], seed: 13), target = randomTensor([3, 4], seed: 14)
        let (_, gradient) = FaceProjectorRefit.meanSquaredError(prediction, target)
        let h: Float = 1e-2
        for i in [0, 5, 11] {
            var plus = prediction, minus = prediction
            plus.scalars[i] += h
            minus.scalars[i] -= h
            let numeric = (FaceProjectorRefit.meanSquaredError(plus, target).0 - FaceProjectorRefit.meanSquaredError(minus, target).0) / (2 * h)
            #expect(abs(numeric - gradient.scalars[i]) < 1e-4, "element \(i): \(numeric) vs \(gradient.scalars[i])")
        }
    }

    @Test func theReferencePairAgreesWithItselfExactly() throws {
        let (new, _) = try Self.tables()
        let projector = try FaceProjector(config: Self.projectorConfig, seed: 9)
        let same = FaceProjectorRefit.agreement(projector: projector, new: new, reference: projector, old: new)
        #expect(same.relativeError < 1e-10 && abs(same.cosine - 1) < 1e-5)
    }
}
