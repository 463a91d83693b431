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
        let (n, d) = (embeddings.shape[0], embeddings.shape[1])
        precondition(labels.count == n, "one label per embedding")
        let z = embeddings.scalars
        let logits = similarityLogits(z, n: n, d: d)

        // dL/dlogit[i][a] = (softmax[i][a] - positive[i][a] / |P(i)|) / anchors.
        let anchorCount = Float((0..<n).filter { i in (0..<n).contains { $0 != i && labels[$0] == labels[i] } }.count)
        var loss: Double = 0
        var gradLogits = [Float](repeating: 0, count: n * n)
        guard anchorCount > 0 else { return (0, Tensor(zeros: embeddings.shape)) }
        for i in 0..<n {
            let positives = (0..<n).filter { $0 != i && labels[$0] == labels[i] }
            guard !positives.isEmpty else { continue }
            let row = (0..<n).filter { $0 != i }
            let top = row.map { logits[i * n + $0] }.max() ?? 0
            var denominator: Double = 0
            for a in row { denominator += exp(Double(logits[i * n + a] - top)) }
            let logDenominator = Double(top) + log(denominator)
            for p in positives { loss -= (Double(logits[i * n + p]) - logDenominator) / Double(positives.count) }
            for a in row {
                let softmax = Float(exp(Double(logits[i * n + a]) - logDenominator))
                let target: Float = labels[a] == labels[i] ? 1 / Float(positives.count) : 0
                gradLogits[i * n + a] = (softmax - target) / anchorCount
            }
        }

        // logit[i][a] = z_i . z_a / T, so dz_i = sum_a (G[i][a] + G[a][i]) z_a / T.
        var gradient = Tensor(zeros: embeddings.shape)
        for i in 0..<n {
            for a in 0..<n where a != i {
                let g = (gradLogits[i * n + a] + gradLogits[a * n + i]) / temperature
                guard g != 0 else { continue }
                for k in 0..<d { gradient.scalars[i * d + k] += g * z[a * d + k] }
            }
        }
        return (Float(loss / Double(anchorCount)), gradient)
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
