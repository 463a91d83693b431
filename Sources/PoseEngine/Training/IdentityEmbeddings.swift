import Foundation

/// One face embedding per identity of the synthetic world: the mean of the
/// face encoder's embeddings of several random views (pose, style, light)
/// of that person, re-normalised. Face0 averages several images of a face the
/// same way; using views other than the training image keeps the face tokens
/// from carrying the image's pose.
public struct IdentityEmbeddings: Sendable {
    public let vectors: [[Float]]

    public init(vectors: [[Float]]) {
        self.vectors = vectors
    }

    /// The mean direction of each identity's view embeddings (`ViewEmbeddings`).
    public static func compute(dataset: SynthDataset, encoder: FaceEncoder, views: Int, batch: Int = 64,
                               progress: (Int) -> Void = { _ in }) -> IdentityEmbeddings {
        let perView = ViewEmbeddings.compute(dataset: dataset, encoder: encoder, views: views, batch: batch, progress: progress)
        return IdentityEmbeddings(vectors: perView.vectors.map(FaceEmbedding.average))
    }

    public var tensor: Tensor {
        Tensor(shape: [vectors.count, vectors.first?.count ?? 0], scalars: vectors.flatMap { $0 })
    }
}
