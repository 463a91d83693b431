import Synchronization

/// The face embeddings computed from image files, by path, shared between the sampler (which
/// fills it) and whoever saves sessions (which writes it out beside the paths). A session
/// carries its faces' embeddings, so it still renders the same face when an image file has
/// moved or gone. Each embedding keeps the fingerprint of the face encoder that made it: another
/// encoder's embedding of the same picture would steer the UNet toward another person.
public final class FaceEmbeddingStore: Sendable {
    /// A face image's embedding and the weights fingerprint of the face encoder that made it;
    /// nil when a session recorded the embedding without naming its encoder.
    public struct Recorded: Sendable, Equatable {
        public var embedding: [Float]
        public var encoder: String?

        public init(embedding: [Float], encoder: String?) {
            (self.embedding, self.encoder) = (embedding, encoder)
        }
    }

    private let entries: Mutex<[String: Recorded]>

    public init() {
        entries = Mutex([:])
    }

    /// A store holding what `session` recorded.
    public convenience init(recordedIn session: SessionFile?) {
        self.init()
        if let session { merge(session) }
    }

    public subscript(path: String) -> Recorded? {
        entries.withLock { $0[path] }
    }

    public func record(_ embedding: [Float], for path: String, encoder: String) {
        entries.withLock { $0[path] = Recorded(embedding: embedding, encoder: encoder) }
    }

    /// Adds every embedding `session` recorded (when it is opened), with the encoder it names. An
    /// embedding the store already holds from a named encoder is kept over one from no named
    /// encoder, which could never stand in for its image.
    public func merge(_ session: SessionFile) {
        entries.withLock { all in
            for (path, embedding) in session.faceEmbeddings {
                let encoder = session.faceEmbeddingEncoders[path]
                if encoder == nil, all[path]?.encoder != nil { continue }
                all[path] = Recorded(embedding: embedding, encoder: encoder)
            }
        }
    }

    /// The recorded embeddings of `paths`.
    public func recorded(for paths: Set<String>) -> [String: Recorded] {
        entries.withLock { all in all.filter { paths.contains($0.key) } }
    }
}
