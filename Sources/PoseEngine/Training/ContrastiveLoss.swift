import Foundation

/// Supervised contrastive loss (Khosla et al. 2020) on unit embeddings: for
/// every anchor, each other view of the same identity should win a softmax
/// over cosine similarities / temperature against all other embeddings of the
/// batch. Every negative in the batch pushes, not only the hardest, which
/// keeps the gradient informative while the network is still poor.
public struct SupervisedContrastiveLoss: Sendable {
    public var temperature: Float

    public init(temperature: Float = 0.1) {
        precondition(temperature > 0, "a contrastive temperature must be positive")
        self.temperature = temperature
    }

    /// Loss and dL/dembeddings for embeddings [N, D] with one identity label per row.
    /// Anchors whose identity appears only once contribute nothing (they have no positive).
    public func evaluate(embeddings: Tensor, labels: [Int]) -> (loss: Float, gradient: Tensor) {
        evaluate(embeddings: embeddings, labels: labels, memory: Tensor(zeros: [0, embeddings.shape[1]]), memoryLabels: [])
    }

    /// The same with `memory` [M, D]: embeddings of earlier batches, held fixed, that every
    /// anchor also meets, as positives where their person is the anchor's and negatives
    /// elsewhere (a cross-batch memory: a small batch meets thousands of other people).
    /// Only the batch's rows are anchors and only they get a gradient.
    public func evaluate(embeddings: Tensor, labels: [Int], memory: Tensor, memoryLabels: [Int]) -> (loss: Float, gradient: Tensor) {
        let (n, d) = (embeddings.shape[0], embeddings.shape[1])
        let m = memoryLabels.count
        precondition(labels.count == n, "one label per embedding")
        precondition(memory.shape == [m, d], "one label per remembered embedding, each as wide as the batch's")
        let z = embeddings.scalars

        // Anchors are the batch rows with another view of their person in the batch, so the
        // loss stays comparable with and without a memory.
        let anchorCount = Float((0..<n).filter { i in (0..<n).contains { $0 != i && labels[$0] == labels[i] } }.count)
        guard anchorCount > 0 else { return (0, Tensor(zeros: embeddings.shape)) }
        let logits = similarityLogits(z, n: n, d: d)
        let memoryLogits = crossLogits(z, memory.scalars, n: n, m: m, d: d)
        // dL/dlogit[i][a] = (softmax[i][a] - positive[i][a] / |P(i)|) / anchors, over batch and memory alike.
        var loss: Double = 0
        var gradLogits = [Float](repeating: 0, count: n * n)
        var gradMemoryLogits = [Float](repeating: 0, count: n * m)
        for i in 0..<n {
            let row = (0..<n).filter { $0 != i }
            guard row.contains(where: { labels[$0] == labels[i] }) else { continue }
            let positiveCount = row.filter { labels[$0] == labels[i] }.count + memoryLabels.filter { $0 == labels[i] }.count
            let batchRow = row.map { logits[i * n + $0] }, memoryRow = Array(memoryLogits[(i * m)..<((i + 1) * m)])
            let top = max(batchRow.max() ?? 0, memoryRow.max() ?? -Float.infinity)
            var denominator: Double = 0
            for logit in batchRow + memoryRow { denominator += exp(Double(logit - top)) }
            let logDenominator = Double(top) + log(denominator)
            func gradient(_ logit: Float, positive: Bool) -> Float {
                if positive { loss -= (Double(logit) - logDenominator) / Double(positiveCount) }
                let softmax = Float(exp(Double(logit) - logDenominator))
                return (softmax - (positive ? 1 / Float(positiveCount) : 0)) / anchorCount
            }
            for a in row { gradLogits[i * n + a] = gradient(logits[i * n + a], positive: labels[a] == labels[i]) }
            for r in 0..<m { gradMemoryLogits[i * m + r] = gradient(memoryRow[r], positive: memoryLabels[r] == labels[i]) }
        }

        // logit[i][a] = z_i . z_a / T, so dz_i = sum_a (G[i][a] + G[a][i]) z_a / T + sum_r G[i][r] memory_r / T.
        var gradient = Tensor(zeros: embeddings.shape)
        for i in 0..<n {
            for a in 0..<n where a != i {
                let g = (gradLogits[i * n + a] + gradLogits[a * n + i]) / temperature
                guard g != 0 else { continue }
                for k in 0..<d { gradient.scalars[i * d + k] += g * z[a * d + k] }
            }
        }
        if m > 0 {
            gradMemoryLogits.withUnsafeBufferPointer { a in
                memory.scalars.withUnsafeBufferPointer { b in
                    gradient.scalars.withUnsafeMutableBufferPointer { c in
                        BLAS.gemm(m: n, n: d, k: m, alpha: 1 / temperature, a: a.baseAddress!, lda: m,
                                  b: b.baseAddress!, ldb: d, beta: 1, c: c.baseAddress!, ldc: d)
                    }
                }
            }
        }
        return (Float(loss / Double(anchorCount)), gradient)
    }

    /// z_i . memory_r / T for every batch row i and remembered row r, [N, M] row-major.
    private func crossLogits(_ z: [Float], _ memory: [Float], n: Int, m: Int, d: Int) -> [Float] {
        guard m > 0 else { return [] }
        var logits = [Float](repeating: 0, count: n * m)
        z.withUnsafeBufferPointer { a in
            memory.withUnsafeBufferPointer { b in
                logits.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(transB: true, m: n, n: m, k: d, alpha: 1 / temperature, a: a.baseAddress!, lda: d,
                              b: b.baseAddress!, ldb: d, c: c.baseAddress!, ldc: m)
                }
            }
        }
        return logits
    }

    private func similarityLogits(_ z: [Float], n: Int, d: Int) -> [Float] {
        var logits = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for a in i..<n {
                var dot: Float = 0
                for k in 0..<d { dot += z[i * d + k] * z[a * d + k] }
                logits[i * n + a] = dot / temperature
                logits[a * n + i] = dot / temperature
            }
        }
        return logits
    }
}
