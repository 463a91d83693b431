import Synchronization

/// The face embeddings computed from image files, by path, shared between the sampler (which
/// fills it) and whoever saves sessions (which writes it out beside the paths). A session
/// carries its faces' embeddings, so it still renders the same face when an image file has
/// moved or gone.
public final class FaceEmbeddingStore: Sendable {
    private let entries: Mutex<[String: [Float]]>

    public init(_ initial: [String: [Float]] = [:]) {
        entries = Mutex(initial)
    }

    public subscript(path: String) -> [Float]? {
        entries.withLock { $0[path] }
    }

    public func record(_ embedding: [Float], for path: String) {
        entries.withLock { $0[path] = embedding }
    }

    /// Adds every entry of `embeddings` (a session's, when it is opened).
    public func merge(_ embeddings: [String: [Float]]) {
        entries.withLock { $0.merge(embeddings) { _, new in new } }
    }

    /// The known embeddings of `paths`.
    public func embeddings(for paths: Set<String>) -> [String: [Float]] {
        entries.withLock { all in all.filter { paths.contains($0.key) } }
    }
}
