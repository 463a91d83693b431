/// Text contexts and face embeddings of recent submits, so that moving a
/// pose slider re-encodes neither the prompt nor the face images.
final class ConditioningCache {
    private var texts: [String: Tensor] = [:]
    private var faces: [FaceSource: [Float]] = [:]
    private let limit = 16

    func text(_ prompt: String, encoder: TextEncoder) -> Tensor {
        if let hit = texts[prompt] { return hit }
        if texts.count >= limit { texts.removeAll() }
        let context = encoder.encode([prompt])
        texts[prompt] = context
        return context
    }

    func face(_ source: FaceSource, compute: () throws -> [Float]?) rethrows -> [Float]? {
        if let hit = faces[source] { return hit }
        guard let embedding = try compute() else { return nil }
        if faces.count >= limit { faces.removeAll() }
        faces[source] = embedding
        return embedding
    }
}
