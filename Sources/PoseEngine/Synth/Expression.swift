/// What the face is doing in one picture: it changes from sample to sample for the same person.
public struct Expression: Sendable, Equatable, Codable {
    /// 0 = neutral, 1 = broad open smile. Prompts say "smiling" above `smilingThreshold`.
    public var smile: Float
    /// 0 = closed, 1 = wide open.
    public var eyeOpenness: Float

    public static let smilingThreshold: Float = 0.5
    public static let eyeOpennessRange: ClosedRange<Float> = 0.55...1

    public init(smile: Float = 0, eyeOpenness: Float = 0.85) {
        self.smile = smile
        self.eyeOpenness = eyeOpenness
    }

    public var isSmiling: Bool { smile > Self.smilingThreshold }

    public static func random(using generator: inout SeededGenerator) -> Expression {
        Expression(smile: generator.nextUniform(), eyeOpenness: uniform(eyeOpennessRange, &generator))
    }
}
