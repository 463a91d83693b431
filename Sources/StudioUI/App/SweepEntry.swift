import PoseEngine

/// Reads a sweep typed as "PARAMETER FROM TO FRAMES", e.g. "yaw -60 60 7".
public enum SweepEntry {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case shape(String)
        case unknownParameter(String)
        case frames(Int)

        public var description: String {
            switch self {
            case .shape(let text):
                return "\"\(text)\" is not a sweep: type PARAMETER FROM TO FRAMES, e.g. yaw -60 60 7"
            case .unknownParameter(let name):
                return "cannot sweep \"\(name)\": use \(SweepParameter.allCases.map(\.rawValue).joined(separator: ", "))"
            case .frames(let n):
                return "a sweep needs \(Sweep.frameLimit.lowerBound) to \(Sweep.frameLimit.upperBound) frames (got \(n))"
            }
        }
    }

    public static func parse(_ text: String) -> Result<Sweep, Problem> {
        let parts = text.split(separator: " ").map(String.init)
        guard parts.count == 4, let from = Float(parts[1]), let to = Float(parts[2]), let frames = Int(parts[3]),
              from.isFinite, to.isFinite else { return .failure(.shape(text)) }
        guard let parameter = SweepParameter(rawValue: parts[0].lowercased()) else { return .failure(.unknownParameter(parts[0])) }
        guard Sweep.frameLimit.contains(frames) else { return .failure(.frames(frames)) }
        return .success(Sweep(parameter: parameter, from: from, to: to, frames: frames))
    }

    /// What the prompt line offers when a sweep starts on `control`: its range in a few frames.
    /// Guidance runs from off to twice the settings' weight (new settings' when it is off, and at
    /// most the largest weight), so the middle frame is usually the current picture; the noisier
    /// steps' CFG scale from 1 (none there) to the CFG scale that caps it, or, when that cap leaves
    /// nothing to sweep, the CFG scale itself.
    public static func suggestion(for control: Control, settings: StudioSettings) -> String {
        switch control {
        case .pitch: return "pitch -30 30 5"
        case .x: return "x -0.25 0.25 5"
        case .y: return "y -0.25 0.25 5"
        case .scale: return "scale 0.3 0.8 5"
        case .faceMix: return "face-mix 0 1 5"
        case .cfgScale: return "cfg 1 10 5"
        case .cfgEarly:
            let cap = settings.cfgEarlyCap
            return cap > 1 ? "cfg-early 1 \(number(cap)) 5" : "cfg 1 10 5"
        case .cfgCombined: return "cfg-combined 0 1 5"
        case .cfgFace: return "cfg-face 0 1 5"
        case .guidance:
            let middle = settings.guidance > 0 ? settings.guidance : StudioSettings().guidance
            return "guidance 0 \(number(min(2 * middle, StudioSettings.maximumGuidance))) 5"
        case .pushLimit: return "guidance-push-limit 0.25 1 4"
        default: return "yaw -60 60 5"
        }
    }

    /// `value` as typed, in the fewest digits that read back as the same number.
    private static func number(_ value: Float) -> String {
        let text = "\(value)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
