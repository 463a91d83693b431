import Foundation

/// Face0 identity embeddings as plain unit vectors, and the ways a studio
/// makes them: averaged over images of one face, drawn from a seed, mixed
/// between two faces, jittered.
public enum FaceEmbedding {
    /// How two faces are blended.
    public enum MixMode: String, Codable, Sendable, CaseIterable {
        /// (1 - t) a + t b, renormalised.
        case linear
        /// Along the great circle from a to b (equal angular steps).
        case spherical
    }

    public static func normalized(_ v: [Float]) -> [Float] {
        let norm = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        guard norm > 1e-12 else { return v }
        return v.map { $0 / norm }
    }

    /// A unit vector drawn uniformly on the sphere: the same seed is always the same character.
    public static func random(seed: UInt64, dimension: Int) -> [Float] {
        var generator = SeededGenerator(seed: seed ^ 0xFACE_0000_5EED_0000)
        return normalized((0..<dimension).map { _ in generator.nextGaussian() })
    }

    /// The mean direction of several embeddings of one face.
    public static func average(_ embeddings: [[Float]]) -> [Float] {
        guard let first = embeddings.first else { return [] }
        var sum = [Float](repeating: 0, count: first.count)
        for e in embeddings { for i in 0..<min(e.count, sum.count) { sum[i] += e[i] } }
        return normalized(sum)
    }

    public static func mix(_ a: [Float], _ b: [Float], at t: Float, mode: MixMode) -> [Float] {
        precondition(a.count == b.count, "face embeddings of different sizes")
        let t = min(max(t, 0), 1)
        switch mode {
        case .linear:
            return normalized(zip(a, b).map { (1 - t) * $0 + t * $1 })
        case .spherical:
            let (ua, ub) = (normalized(a), normalized(b))
            let cosine = min(max(zip(ua, ub).reduce(Float(0)) { $0 + $1.0 * $1.1 }, -1), 1)
            let angle = acos(cosine)
            // Nearly parallel faces: the great circle is numerically a line.
            guard sin(angle) > 1e-4 else { return mix(a, b, at: t, mode: .linear) }
            let (wa, wb) = (sin((1 - t) * angle) / sin(angle), sin(t * angle) / sin(angle))
            return normalized(zip(ua, ub).map { wa * $0 + wb * $1 })
        }
    }

    /// `v` plus Gaussian noise of standard deviation `amount` per component, renormalised.
    public static func jittered(_ v: [Float], amount: Float, seed: UInt64) -> [Float] {
        guard amount > 0 else { return v }
        var generator = SeededGenerator(seed: seed ^ 0x0717_7E60_0000_0000)
        return normalized(v.map { $0 + amount * generator.nextGaussian() })
    }

    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let dot = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        let na = a.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot(), nb = b.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return dot / max(na * nb, 1e-12)
    }
}
