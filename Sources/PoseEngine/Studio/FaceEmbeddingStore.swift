import Synchronization

/// The face embeddings computed from image files, by path, shared between the sampler (which
/// fills it) and whoever saves sessions (which writes it out beside the paths). A session
/// carries its faces' embeddings, so it still renders the same face when an image file has
/// moved or gone. Each embedding keeps the fingerprint of the face encoder that made it: another
/// encoder's embedding of the same picture would steer the UNet toward another person.
public final class FaceEmbeddingStore: Sendable {
    private let entries: Mutex<[String: RecordedFace]>

    public init() {
        entries = Mutex([:])
    }

    /// A store holding what `session` recorded.
    public convenience init(recordedIn session: SessionFile?) {
        self.init()
        if let session { merge(session) }
    }

    public subscript(path: String) -> RecordedFace? {
        entries.withLock { $0[path] }
    }

    public func record(_ embedding: [Float], for path: String, encoder: String) {
        entries.withLock { $0[path] = RecordedFace(embedding: embedding, encoder: encoder) }
    }

    /// Adds every embedding `session` recorded (when it is opened), with the encoder it names,
    /// except where the store holds a record that outranks it (`RecordedFace.replaces`).
    public func merge(_ session: SessionFile) {
        entries.withLock { all in
            for (path, face) in session.faces where face.replaces(all[path]) { all[path] = face }
        }
    }

    /// The recorded embeddings of `paths`.
    public func recorded(for paths: Set<String>) -> [String: RecordedFace] {
        entries.withLock { all in all.filter { paths.contains($0.key) } }
    }
}
