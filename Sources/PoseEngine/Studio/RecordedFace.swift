/// A face image's embedding as a session or the studio recorded it, with the weights
/// fingerprint of the face encoder that made it: nil when a session recorded the embedding
/// without naming its encoder (sessions saved before encoders were named).
public struct RecordedFace: Sendable, Equatable {
    public var embedding: [Float]
    public var encoder: String?

    public init(embedding: [Float], encoder: String?) {
        (self.embedding, self.encoder) = (embedding, encoder)
    }

    /// Whether this record takes the place of `existing` for the same path. One that names its
    /// encoder is never replaced by one that does not: that one could never stand in for its image.
    public func replaces(_ existing: RecordedFace?) -> Bool {
        encoder != nil || existing?.encoder == nil
    }
}
