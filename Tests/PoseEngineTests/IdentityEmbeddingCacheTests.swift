import Foundation
import Testing
@testable import PoseEngine

/// The identity embeddings the Face0 projector trains on: made the way the studio makes a face's
/// embedding, and cached only as long as what made them stays the same.
@Suite struct IdentityEmbeddingCacheTests {
    static let config = ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4, outputDim: 8, hiddenDim: 16)

    private func withScratchFile(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("faces-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder.appendingPathComponent("identity_embeddings.safetensors"))
    }

    /// The views reach the encoder at its own image size, whatever size the world renders at.
    @Test func viewsAreEncodedAtTheEncodersSize() throws {
        let encoder = try FaceEncoder(config: Self.config, seed: 1)
        let small = IdentityEmbeddings.compute(dataset: SynthDataset(seed: 3, imageSize: 16, identityCount: 2), encoder: encoder, views: 2)
        let large = IdentityEmbeddings.compute(dataset: SynthDataset(seed: 3, imageSize: 48, identityCount: 2), encoder: encoder, views: 2)
        #expect(small.vectors == large.vectors)
        #expect(small.vectors.count == 2 && small.vectors[0] != small.vectors[1])
    }

    @Test func aCacheIsReusedOnlyForTheSameEncoderAndWorld() throws {
        try withScratchFile { url in
            let dataset = SynthDataset(seed: 3, imageSize: 16, identityCount: 3)
            let encoder = try FaceEncoder(config: Self.config, seed: 1)
            var announced = 0
            let first = try IdentityEmbeddingCache.load(at: url, dataset: dataset, encoder: encoder, views: 1) { _ in announced += 1 }
            let again = try IdentityEmbeddingCache.load(at: url, dataset: dataset, encoder: encoder, views: 1) { _ in announced += 1 }
            #expect(again.vectors == first.vectors && announced == 1, "the second load reads the file")

            // A retrained encoder in the same runs folder: the file is remade, not reused.
            let retrained = try FaceEncoder(config: Self.config, seed: 2)
            #expect(retrained.weightsFingerprint != encoder.weightsFingerprint)
            let remade = try IdentityEmbeddingCache.load(at: url, dataset: dataset, encoder: retrained, views: 1) { _ in announced += 1 }
            #expect(announced == 2 && remade.vectors == IdentityEmbeddings.compute(dataset: dataset, encoder: retrained, views: 1).vectors)

            // So is another world or another number of views.
            _ = try IdentityEmbeddingCache.load(at: url, dataset: SynthDataset(seed: 4, imageSize: 16, identityCount: 3),
                                                encoder: retrained, views: 1) { _ in announced += 1 }
            _ = try IdentityEmbeddingCache.load(at: url, dataset: SynthDataset(seed: 4, imageSize: 16, identityCount: 3),
                                                encoder: retrained, views: 2) { _ in announced += 1 }
            #expect(announced == 4)
        }
    }

    @Test func theFingerprintSeesEveryWeight() throws {
        let encoder = try FaceEncoder(config: Self.config, seed: 1)
        let before = encoder.weightsFingerprint
        #expect(before == (try FaceEncoder(config: Self.config, seed: 1)).weightsFingerprint, "same weights, same print")
        guard let last = encoder.namedParameters().last?.parameter else { Issue.record("no parameters"); return }
        last.value.scalars[last.value.count - 1] = last.value.scalars[last.value.count - 1].nextUp
        #expect(encoder.weightsFingerprint != before, "one ulp in the last weight changes it")
    }
}
