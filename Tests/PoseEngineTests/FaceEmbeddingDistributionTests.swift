import Foundation
import Testing
@testable import PoseEngine

@Suite struct FaceEmbeddingDistributionTests {
    /// 20000 draws of a known 3-D Gaussian: the fit finds its mean, and L Lᵀ its covariance.
    @Test func fitRecoversMeanAndCovariance() throws {
        let mean: [Float] = [0.5, -1, 2]
        let l: [Float] = [0.3, 0, 0,
                          0.2, 0.5, 0,
                          -0.1, 0.4, 0.2]
        var generator = SeededGenerator(seed: 4)
        let draws = (0..<20_000).map { _ -> [Float] in
            let z = (0..<3).map { _ in generator.nextGaussian() }
            return (0..<3).map { r in (0...r).reduce(mean[r]) { $0 + l[r * 3 + $1] * z[$1] } }
        }
        let fitted = try FaceEmbeddingDistribution.fit(draws)
        for j in 0..<3 { #expect(abs(fitted.mean[j] - mean[j]) < 0.02) }
        for r in 0..<3 {
            for c in 0..<3 {
                let truth = (0..<3).reduce(Float(0)) { $0 + l[r * 3 + $1] * l[c * 3 + $1] }
                let found = (0..<3).reduce(Float(0)) { $0 + fitted.scaleTril[r * 3 + $1] * fitted.scaleTril[c * 3 + $1] }
                #expect(abs(found - truth) < 0.01, "covariance[\(r)][\(c)]: \(found) against \(truth)")
                if c > r { #expect(fitted.scaleTril[r * 3 + c] == 0, "the factor is lower-triangular") }
            }
        }
    }

    /// Three points by hand: covariance with the n - 1 divisor, plus the ridge of 1e-4 of the mean variance.
    @Test func fitMatchesAHandComputedCovariance() throws {
        let fitted = try FaceEmbeddingDistribution.fit([[1, 0], [0, 1], [1, 1]])
        let ridge = Float(1.0 / 3.0) * 1e-4
        let expected: [Float] = [1.0 / 3.0 + ridge, -1.0 / 6.0, -1.0 / 6.0, 1.0 / 3.0 + ridge]
        let l = fitted.scaleTril
        let product: [Float] = [l[0] * l[0], l[0] * l[2], l[2] * l[0], l[2] * l[2] + l[3] * l[3]]
        #expect(zip(product, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(product)")
        #expect(fitted.mean.allSatisfy { abs($0 - 2.0 / 3.0) < 1e-6 })
        // Fewer embeddings than dimensions: the ridge keeps the factor defined.
        let few = try FaceEmbeddingDistribution.fit([[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0]])
        #expect(few.sample(seed: 1).allSatisfy { $0.isFinite })
        #expect(throws: FaceEmbeddingDistributionError.unevenEmbeddings) { try FaceEmbeddingDistribution.fit([[1, 2], [3]]) }
    }

    /// Draws before renormalising have the fitted covariance: a correlated, lopsided Gaussian, so
    /// a factor read transposed, or only its diagonal, would not pass.
    @Test func drawsHaveTheFittedCovariance() throws {
        let d = 4
        let tril: [Float] = [2, 0, 0, 0,
                             1.5, 0.3, 0, 0,
                             -1, 0.8, 0.5, 0,
                             0.2, -0.6, 1.2, 0.1]
        let distribution = try FaceEmbeddingDistribution(mean: [1, 0, -1, 0.5], scaleTril: tril)
        var generator = SeededGenerator(seed: 12)
        let draws = (0..<40_000).map { _ in distribution.draw((0..<d).map { _ in generator.nextGaussian() }) }
        let n = Float(draws.count)
        let mean = (0..<d).map { j in draws.reduce(0) { $0 + $1[j] } / n }
        for r in 0..<d {
            for c in 0..<d {
                let truth = (0..<d).reduce(Float(0)) { $0 + tril[r * d + $1] * tril[c * d + $1] }
                let found = draws.reduce(Float(0)) { $0 + ($1[r] - mean[r]) * ($1[c] - mean[c]) } / (n - 1)
                #expect(abs(found - truth) < 0.05 * max(1, abs(truth)), "covariance[\(r)][\(c)]: \(found) against \(truth)")
            }
        }
    }

    /// Embeddings in a narrow cone: faces drawn from the fit stay in it, where uniform
    /// directions do not; a seed always draws the same face.
    @Test func drawsStayAmongTheTrainingFaces() throws {
        let d = 16
        var generator = SeededGenerator(seed: 8)
        let axis = FaceEmbedding.normalized((0..<d).map { _ in generator.nextGaussian() })
        let faces = (0..<500).map { _ in FaceEmbedding.normalized(axis.map { $0 + 0.1 * generator.nextGaussian() }) }
        let distribution = try FaceEmbeddingDistribution.fit(faces)
        let meanCosine = faces.map { FaceEmbedding.cosine($0, axis) }.reduce(0, +) / Float(faces.count)
        let drawn = (0..<200).map { distribution.sample(seed: UInt64($0)) }
        let drawnCosine = drawn.map { FaceEmbedding.cosine($0, axis) }.reduce(0, +) / Float(drawn.count)
        let uniformCosine = (0..<200).map { FaceEmbedding.cosine(FaceEmbedding.random(seed: UInt64($0), dimension: d), axis) }
            .reduce(0, +) / 200
        #expect(abs(drawnCosine - meanCosine) < 0.03, "drawn \(drawnCosine), training faces \(meanCosine)")
        #expect(uniformCosine < 0.3)
        #expect(drawn.allSatisfy { abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4 }, "unit vectors")
        #expect(distribution.sample(seed: 3) == distribution.sample(seed: 3))
        #expect(distribution.sample(seed: 3) != distribution.sample(seed: 4))
    }

    @Test func saveLoadRoundTripAndBadFilesAreNamed() throws {
        let distribution = try FaceEmbeddingDistribution.fit([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("distribution-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(FaceEmbeddingDistribution.fileName)
        try distribution.save(to: url)
        #expect(try FaceEmbeddingDistribution.load(from: url) == distribution)

        func refused(_ mean: [Float], _ tril: [Float], side: Int, _ reason: String) throws {
            try SafeTensors.write([("mean", Tensor(shape: [mean.count], scalars: mean)),
                                   ("scale_tril", Tensor(shape: [side, side], scalars: tril))], to: url.path)
            #expect { try FaceEmbeddingDistribution.load(from: url) } throws: {
                let message = "\($0)"
                return message.contains(reason) && message.hasPrefix(url.path) && message.components(separatedBy: url.path).count == 2
            }
        }
        try refused([0, 0, 0], [1, 0, 0, 1], side: 2, "expected [d] and [d, d]")
        try refused([0, .nan], [1, 0, 0, 1], side: 2, "not finite")
        try refused([0, 0], [1, 0.5, 0.5, 1], side: 2, "above its diagonal")
        try refused([0, 0], [1, 0, 0, 0], side: 2, "diagonal must be positive")
        try Data("not safetensors".utf8).write(to: url)
        #expect { try FaceEmbeddingDistribution.load(from: url) } throws: {
            "\($0)".hasPrefix(url.path) && "\($0)".components(separatedBy: url.path).count == 2
        }
        #expect(throws: FaceEmbeddingDistributionError.tooFewEmbeddings(1)) { try FaceEmbeddingDistribution.fit([[1, 2]]) }
    }

    /// A model folder with a distribution draws seed faces from it; one of the wrong size is refused.
    @Test func modelFoldersUseTheirDistribution() throws {
        let url = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: url) }
        let fileURL = FaceEmbeddingDistribution.url(inModelFolder: url)
        let d = StudioTestModels.configs.faceProjector.embeddingDim
        var generator = SeededGenerator(seed: 2)
        let faces = (0..<64).map { _ in (0..<d).map { j in (j == 0 ? 3 : 0) + 0.2 * generator.nextGaussian() } }
        let distribution = try FaceEmbeddingDistribution.fit(faces)
        try distribution.save(to: fileURL)
        let models = try StudioModels.load(folder: url)
        #expect(models.faceDistribution == distribution)
        let engine = SamplingEngine(models: models, faceImageLoader: StudioTestModels.faceLoader)
        #expect(try engine.embedding(of: .random(seed: 5)) == distribution.sample(seed: 5))

        let copy = url.appendingPathExtension("copy")
        defer { try? FileManager.default.removeItem(at: copy) }
        try models.save(to: copy)
        #expect(try StudioModels.load(folder: copy).faceDistribution == distribution, "saving a model folder keeps it")
        try StudioTestModels.models().save(to: copy)
        #expect(try StudioModels.load(folder: copy).faceDistribution == nil, "other weights saved over it drop it")

        try FaceEmbeddingDistribution.fit([[1, 0], [0, 1], [1, 1]]).save(to: fileURL)
        #expect { try StudioModels.load(folder: url) } throws: { "\($0)".contains("embedding_distribution.safetensors") }
    }
}
