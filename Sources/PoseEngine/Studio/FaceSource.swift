/// Where a face comes from.
public enum FaceSource: Codable, Sendable, Equatable, Hashable {
    /// No face: the face tokens are zero (the UNet's "dropped face").
    case none
    /// Image files of one face; their embeddings are averaged.
    case images(paths: [String])
    /// A random embedding: the same seed is always the same character.
    case random(seed: UInt64)

    public var isNone: Bool { self == .none }
}
