/// Simple words for poses. Directions are the person's own, as DESIGN.md
/// defines yaw: "left" turns the head to its left (+yaw, the face looks
/// toward image right), "up" tilts the face up (+pitch).
public enum PoseWords {
    /// Known phrases and the (yaw, pitch) they set; a phrase may combine a turn and a tilt ("up left").
    public static let turns: [(words: [String], yaw: Float)] = [
        (["three", "quarter", "left"], 40), (["three", "quarter", "right"], -40),
        (["profile", "left"], 85), (["profile", "right"], -85),
        (["left"], 60), (["right"], -60),
    ]
    public static let tilts: [(word: String, pitch: Float)] = [("up", 30), ("down", -30)]

    public static let vocabulary = ["front", "left", "right", "three-quarter left", "three-quarter right",
                                    "profile left", "profile right", "up", "down"]

    /// The targets `phrase` names, applied over `targets` (yaw and pitch switched on).
    public static func apply(_ phrase: String, to targets: GuidanceTargets) throws(PoseWordsError) -> GuidanceTargets {
        var words = phrase.lowercased().split { !$0.isLetter }.map(String.init)
        guard !words.isEmpty else { throw .unknown(phrase) }
        var result = targets
        if words == ["front"] {
            result.steer(.yaw, to: 0)
            result.steer(.pitch, to: 0)
            return result
        }
        var yaw: Float?, pitch: Float?
        for (i, word) in words.enumerated().reversed() {
            if let tilt = tilts.first(where: { $0.word == word }) {
                pitch = tilt.pitch
                words.remove(at: i)
            }
        }
        if !words.isEmpty {
            guard let turn = turns.first(where: { $0.words == words }) else { throw .unknown(phrase) }
            yaw = turn.yaw
        }
        if let yaw { result.steer(.yaw, to: yaw) }
        if let pitch { result.steer(.pitch, to: pitch) }
        if yaw == nil { result.steer(.yaw, to: 0) }
        if pitch == nil { result.steer(.pitch, to: 0) }
        return result
    }

    /// A plausible random pose for sweeps, drawn from the synthetic world's ranges; every quantity on.
    public static func randomTargets(seed: UInt64) -> GuidanceTargets {
        var generator = SeededGenerator(seed: seed)
        let p = HeadPose.random(using: &generator)
        return GuidanceTargets(values: PoseValues(pitch: p.pitch, yaw: p.yaw, x: p.x, y: p.y, scale: p.scale),
                               active: PoseQuantity.allCases)
    }
}

public enum PoseWordsError: Error, Equatable, CustomStringConvertible {
    case unknown(String)

    public var description: String {
        switch self {
        case .unknown(let phrase):
            return "unknown pose \"\(phrase)\": use \(PoseWords.vocabulary.joined(separator: ", ")), optionally with up or down"
        }
    }
}
