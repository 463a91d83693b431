import CBLAS
import Foundation

/// The Gaussian that the face projector's training embeddings follow, so that a
/// face drawn from a seed is a face the UNet has learned to draw.
///
/// A face encoder's embeddings fill a narrow cone of the unit sphere: on the
/// default model, two different people's embeddings have cosine 0.67 on
/// average. A direction drawn uniformly on the sphere lies far outside that
/// cone (its best cosine with any training face is about 0.15), so the Face0
/// tokens it makes are ones the UNet never saw. Drawing from this Gaussian
/// (mean plus a Cholesky factor of the covariance), then renormalising, gives
/// new people with the statistics of the training faces.
public struct FaceEmbeddingDistribution: Sendable, Equatable {
    /// Stored next to the projector: `face_projector/embedding_distribution.safetensors`.
    public static let fileName = "embedding_distribution.safetensors"

    /// Where a model folder keeps it.
    public static func url(inModelFolder folder: URL) -> URL {
        folder.appendingPathComponent("face_projector").appendingPathComponent(fileName)
    }

    public let mean: [Float]
    /// Row-major lower-triangular L with L Lᵀ = covariance.
    public let scaleTril: [Float]

    public var dimension: Int { mean.count }

    public init(mean: [Float], scaleTril: [Float]) throws(FaceEmbeddingDistributionError) {
        guard !mean.isEmpty, scaleTril.count == mean.count * mean.count else {
            throw .malformed("mean has \(mean.count) values and scale_tril \(scaleTril.count); scale_tril must be the mean's size squared")
        }
        guard (mean + scaleTril).allSatisfy(\.isFinite) else { throw .malformed("it holds values that are not finite") }
        let d = mean.count
        // A full matrix here (a covariance stored in place of its factor) would lose its upper half.
        guard (0..<d).allSatisfy({ row in (row + 1..<d).allSatisfy { scaleTril[row * d + $0] == 0 } }) else {
            throw .malformed("scale_tril has values above its diagonal; it must be a lower-triangular Cholesky factor")
        }
        guard (0..<d).allSatisfy({ scaleTril[$0 * d + $0] > 0 }) else {
            throw .malformed("scale_tril's diagonal must be positive")
        }
        self.mean = mean
        self.scaleTril = scaleTril
    }

    /// Mean and covariance of `embeddings` (rows of one length). A ridge of 1e-4 of the mean
    /// variance keeps the factorisation defined when the embeddings span fewer dimensions
    /// than they have.
    public static func fit(_ embeddings: [[Float]]) throws(FaceEmbeddingDistributionError) -> FaceEmbeddingDistribution {
        guard embeddings.count >= 2, let d = embeddings.first?.count, d > 0 else { throw .tooFewEmbeddings(embeddings.count) }
        guard embeddings.allSatisfy({ $0.count == d }) else { throw .unevenEmbeddings }
        let n = embeddings.count
        var mean = [Float](repeating: 0, count: d)
        for e in embeddings { for j in 0..<d { mean[j] += e[j] } }
        mean = mean.map { $0 / Float(n) }
        let centred = embeddings.flatMap { e in (0..<d).map { e[$0] - mean[$0] } }

        var covariance = [Float](repeating: 0, count: d * d)
        centred.withUnsafeBufferPointer { x in
            covariance.withUnsafeMutableBufferPointer { c in
                guard let xp = x.baseAddress, let cp = c.baseAddress else { return }
                BLAS.gemm(transA: true, m: d, n: d, k: n, alpha: 1 / Float(n - 1), a: xp, lda: d, b: xp, ldb: d, c: cp, ldc: d)
            }
        }
        let meanVariance = (0..<d).reduce(Float(0)) { $0 + covariance[$1 * d + $1] } / Float(d)
        let ridge = max(meanVariance * 1e-4, 1e-12)
        for j in 0..<d { covariance[j * d + j] += ridge }
        return try FaceEmbeddingDistribution(mean: mean, scaleTril: try cholesky(covariance, size: d))
    }

    /// A unit embedding drawn from the distribution: the same seed is always the same face.
    public func sample(seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed ^ 0xFACE_0000_5EED_0000)
        return FaceEmbedding.normalized(draw((0..<dimension).map { _ in generator.nextGaussian() }))
    }

    /// mean + L z: a draw before renormalising, for standard-normal `z`.
    func draw(_ z: [Float]) -> [Float] {
        let d = dimension
        return (0..<d).map { row in (0...row).reduce(mean[row]) { $0 + scaleTril[row * d + $1] * z[$1] } }
    }

    public static func load(from url: URL) throws(FaceEmbeddingDistributionError) -> FaceEmbeddingDistribution {
        do {
            let archive = try SafeTensors.read(url.path)
            let (mean, tril) = (try archive.tensor(named: "mean"), try archive.tensor(named: "scale_tril"))
            guard mean.shape.count == 1, tril.shape == [mean.count, mean.count] else {
                throw FaceEmbeddingDistributionError.malformed(
                    "mean has shape \(mean.shape) and scale_tril \(tril.shape); expected [d] and [d, d]")
            }
            return try FaceEmbeddingDistribution(mean: mean.scalars, scaleTril: tril.scalars)
        } catch let error as FaceEmbeddingDistributionError {
            throw error.at(url.path)
        } catch let error as SafeTensorsError {
            throw .unreadable(path: url.path, reason: error.problem)
        } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
    }

    public func save(to url: URL) throws {
        try SafeTensors.write([("mean", Tensor(shape: [dimension], scalars: mean)),
                               ("scale_tril", Tensor(shape: [dimension, dimension], scalars: scaleTril))],
                              to: url.path, metadata: ["format": "pt"])
    }

    /// Row-major lower Cholesky factor through LAPACK's spotrf. LAPACK is column-major, so
    /// it factors the same symmetric matrix as Uᵀ U; U read row-major is the L wanted.
    static func cholesky(_ matrix: [Float], size d: Int) throws(FaceEmbeddingDistributionError) -> [Float] {
        var a = matrix
        var (n, lda, info) = (Int32(d), Int32(d), Int32(0))
        let upper = CChar(UInt8(ascii: "U"))
        withUnsafePointer(to: upper) { uplo in spotrf_(uplo, &n, &a, &lda, &info, 1) }
        guard info == 0 else { throw .notPositiveDefinite }
        for row in 0..<d { for column in (row + 1)..<d { a[row * d + column] = 0 } }
        return a
    }
}

public enum FaceEmbeddingDistributionError: Error, CustomStringConvertible, Equatable {
    case tooFewEmbeddings(Int)
    case unevenEmbeddings
    case notPositiveDefinite
    case malformed(String)
    case unreadable(path: String, reason: String)

    func at(_ path: String) -> FaceEmbeddingDistributionError {
        if case .malformed(let reason) = self { return .unreadable(path: path, reason: reason) }
        return self
    }

    public var description: String {
        switch self {
        case .tooFewEmbeddings(let count):
            return "a face-embedding distribution needs at least two embeddings of one length (got \(count))"
        case .unevenEmbeddings:
            return "the face embeddings for a distribution are not all of one length"
        case .notPositiveDefinite:
            return "the face embeddings' covariance could not be factored (it is not positive definite)"
        case .malformed(let reason):
            return "face-embedding distribution: \(reason)"
        case .unreadable(let path, let reason):
            return "\(path): not a face-embedding distribution (\(reason)); `posestudio train unet` and `train face_projector` "
                + "write it, or remove it to draw faces from seeds uniformly on the sphere"
        }
    }
}
