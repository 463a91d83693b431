/// Cosine similarities of all pairs of unit embeddings, split by whether the
/// two rows show the same identity: the input of an identity ROC curve.
public struct IdentityPairScores: Sendable {
    public var sameIdentity: [Float] = []
    public var differentIdentity: [Float] = []

    public init(embeddings: Tensor, labels: [Int]) {
        let (n, d) = (embeddings.shape[0], embeddings.shape[1])
        precondition(labels.count == n, "one label per embedding")
        let z = embeddings.scalars
        for i in 0..<n {
            for j in (i + 1)..<n {
                var dot: Float = 0
                for k in 0..<d { dot += z[i * d + k] * z[j * d + k] }
                if labels[i] == labels[j] { sameIdentity.append(dot) } else { differentIdentity.append(dot) }
            }
        }
    }

    /// nil until both kinds of pair exist.
    public var rocArea: Double? { ROCArea.area(positives: sameIdentity, negatives: differentIdentity) }

    public var meanSame: Float { sameIdentity.mean }
    public var meanDifferent: Float { differentIdentity.mean }
}
