import Foundation

/// A small, fast, seedable generator (SplitMix64) so that every random draw in
/// PoseStudio is reproducible from a seed on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / Float(1 << 24))
    }

    /// Standard normal (Box-Muller).
    public mutating func nextGaussian() -> Float {
        let u1 = max(Double(next() >> 11) * (1.0 / Double(1 << 53)), 1e-300)
        let u2 = Double(next() >> 11) * (1.0 / Double(1 << 53))
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}

extension Tensor {
    public static func randomNormal(_ shape: [Int], std: Float = 1, generator: inout SeededGenerator) -> Tensor {
        var t = Tensor(zeros: shape)
        for i in 0..<t.count { t.scalars[i] = generator.nextGaussian() * std }
        return t
    }

    public static func randomUniform(_ shape: [Int], in range: ClosedRange<Float>, generator: inout SeededGenerator) -> Tensor {
        var t = Tensor(zeros: shape)
        let width = range.upperBound - range.lowerBound
        for i in 0..<t.count { t.scalars[i] = range.lowerBound + width * generator.nextUniform() }
        return t
    }
}
