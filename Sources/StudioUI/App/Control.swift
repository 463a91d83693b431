import PoseEngine

/// One row of the control panel, in the order the panel shows them.
public enum Control: Int, CaseIterable, Sendable {
    case pitch, yaw, x, y, scale
    case faceA, faceB, faceMix
    case cfgScale, cfgEarly, cfgCombined, cfgFace, guidance, pushLimit, lookahead
    case steps, sampler, seed, prompt

    /// How a row is edited.
    public enum Kind: Sendable, Equatable {
        /// A number between `range` bounds: `fine` per arrow press, `coarse` with Shift or H/L.
        case number(range: ClosedRange<Float>, fine: Float, coarse: Float, decimals: Int)
        /// One of a few named values, cycled with the arrows.
        case choice
        /// A face source: arrows step a random face's seed, f/F or Enter asks for a path.
        case face
        /// Free text, edited in the prompt line.
        case text
    }

    public var label: String {
        switch self {
        case .pitch: "pitch"
        case .yaw: "yaw"
        case .x: "x"
        case .y: "y"
        case .scale: "scale"
        case .faceA: "face A"
        case .faceB: "face B"
        case .faceMix: "face mix"
        case .cfgScale: "CFG w"
        case .cfgEarly: "CFG early"
        case .cfgCombined: "CFG c"
        case .cfgFace: "CFG a"
        case .guidance: "guidance"
        case .pushLimit: "limit"
        case .lookahead: "lookahead"
        case .steps: "steps"
        case .sampler: "sampler"
        case .seed: "seed"
        case .prompt: "prompt"
        }
    }

    /// The pose quantity this row steers, for the five pose rows.
    public var poseQuantity: PoseQuantity? {
        switch self {
        case .pitch: .pitch
        case .yaw: .yaw
        case .x: .x
        case .y: .y
        case .scale: .scale
        default: nil
        }
    }

    public var kind: Kind {
        switch self {
        case .pitch: .number(range: -90...90, fine: 1, coarse: 10, decimals: 0)
        case .yaw: .number(range: -180...180, fine: 1, coarse: 15, decimals: 0)
        case .x, .y: .number(range: -0.5...0.5, fine: 0.01, coarse: 0.1, decimals: 2)
        case .scale: .number(range: 0.05...1.5, fine: 0.01, coarse: 0.1, decimals: 2)
        case .faceMix, .cfgCombined, .cfgFace: .number(range: 0...1, fine: 0.05, coarse: 0.25, decimals: 2)
        // CFG w, and the CFG scale of the noisier steps (above the settings' cfgFrom).
        case .cfgScale, .cfgEarly: .number(range: 0...50, fine: 0.5, coarse: 2.5, decimals: 1)
        case .guidance: .number(range: 0...StudioSettings.maximumGuidance, fine: 0.5, coarse: 10, decimals: 1)
        // The bound on a guided step's push, as a share of the step's noise prediction (0: none).
        case .pushLimit: .number(range: 0...StudioSettings.maximumGuidancePushLimit, fine: 0.05, coarse: 0.25, decimals: 2)
        // The timestep guidance reads ahead to (0: off), in the schedule's 1000 timesteps.
        case .lookahead: .number(range: 0...999, fine: 25, coarse: 100, decimals: 0)
        case .steps: .number(range: 1...200, fine: 1, coarse: 10, decimals: 0)
        case .seed: .number(range: 0...Float(UInt32.max), fine: 1, coarse: 100, decimals: 0)
        case .sampler: .choice
        case .faceA, .faceB: .face
        case .prompt: .text
        }
    }

    /// The row's number in `settings` (nil for rows that are not numbers).
    public func number(in settings: StudioSettings) -> Float? {
        if let quantity = poseQuantity { return settings.targets.value(quantity) }
        switch self {
        case .faceMix: return settings.faceMix
        case .cfgScale: return settings.cfg.scale
        // With CFG in full on every step (an older session), the noisier steps run w.
        case .cfgEarly: return settings.runsEveryStepInFull ? settings.cfg.scale : settings.cfgEarlyScale
        case .cfgCombined: return settings.cfg.combined
        case .cfgFace: return settings.cfg.face
        case .guidance: return settings.guidance
        case .pushLimit: return settings.guidancePushLimit ?? 0
        case .lookahead: return Float(settings.guidanceLookahead)
        case .steps: return Float(settings.steps)
        case .seed: return Float(settings.seed)
        default: return nil
        }
    }

    /// `settings` with this row's number set to `value`, clamped to the row's range. A pose row
    /// is switched on, since a user who moves a target wants it to steer.
    public func setting(_ value: Float, in settings: StudioSettings) -> StudioSettings {
        guard case .number(let range, _, _, let decimals) = kind, value.isFinite else { return settings }
        let v = Self.rounded(min(max(value, range.lowerBound), range.upperBound), decimals: decimals)
        var s = settings
        if let quantity = poseQuantity {
            s.targets.steer(quantity, to: v)
            return s
        }
        switch self {
        case .faceMix: s.faceMix = v
        case .cfgScale: s.cfg.scale = v
        case .cfgEarly: s = s.withCFGEarlyScale(v)
        case .cfgCombined: s.cfg.combined = v
        case .cfgFace: s.cfg.face = v
        case .guidance: s.guidance = v
        case .pushLimit:
            // A positive bound never rounds to 0, which would lift it; 0 on a session that never
            // had one stays nil, so nothing changes.
            let bound = value > 0 ? max(v, Self.smallestPushLimit) : 0
            s.guidancePushLimit = bound == 0 && settings.guidancePushLimit == nil ? nil : bound
        case .lookahead: s = Self.readingAhead(to: Int(v), in: s)
        case .steps:
            s.steps = Int(v)
            s.previewSteps = min(s.previewSteps, s.steps)
        case .seed: s.seed = UInt64(v)
        default: break
        }
        return s
    }

    /// `settings` reading ahead to `timestep` (0: not at all). Turned on in a session from
    /// before reading ahead (no lookahead targets or gain), it reads as new settings do, pitch and
    /// yaw at their gain, not every target at the bare weight, and with new settings' bound on each
    /// push when the session has none (ten times the weight, unbounded, smears pictures); turned
    /// off, it takes one reading, as several need a lookahead.
    static func readingAhead(to timestep: Int, in settings: StudioSettings) -> StudioSettings {
        var s = settings
        s.guidanceLookahead = timestep
        if timestep == 0 {
            s.guidanceSamples = 1
        } else if settings.guidanceLookahead == 0, s.guidanceLookaheadTargets == nil, s.guidanceLookaheadGain == nil {
            let fresh = StudioSettings()
            (s.guidanceLookaheadTargets, s.guidanceLookaheadGain) = (fresh.guidanceLookaheadTargets, fresh.guidanceLookaheadGain)
            if s.guidancePushLimit == nil { s.guidancePushLimit = fresh.guidancePushLimit }
        }
        return s
    }

    /// The tightest bound the limit row sets (its two decimals would round less to 0, no bound).
    static let smallestPushLimit: Float = 0.01

    /// `settings` moved by `notches` steps (negative: down); coarse steps when `coarse`.
    public func adjusted(_ settings: StudioSettings, by notches: Int, coarse: Bool) -> StudioSettings {
        var s = settings
        switch kind {
        case .number(_, let fine, let big, _):
            guard let value = number(in: settings) else { return settings }
            if self == .seed { // exact integer arithmetic: seeds exceed Float's precision
                let delta = Int64(notches) * (coarse ? 100 : 1)
                s.seed = Self.stepped(settings.seed, by: delta)
                return s
            }
            return setting(value + Float(notches) * (coarse ? big : fine), in: settings)
        case .choice:
            let all = SamplerKind.allCases
            let index = all.firstIndex(of: settings.sampler) ?? 0
            s.sampler = all[((index + notches) % all.count + all.count) % all.count]
        case .face:
            let current = self == .faceA ? settings.face : settings.faceB
            let next: FaceSource
            switch current {
            case .random(let seed): next = .random(seed: Self.stepped(seed, by: Int64(notches)))
            case .none, .images: next = .random(seed: 1)
            }
            if self == .faceA { s.face = next } else { s.faceB = next }
        case .text:
            break
        }
        return s
    }

    /// The row's value as the panel shows it.
    public func formatted(_ settings: StudioSettings) -> String {
        switch self {
        case .faceA: return Self.describe(settings.face)
        case .faceB: return Self.describe(settings.faceB)
        case .sampler: return settings.sampler.rawValue
        case .prompt: return settings.prompt
        case .seed: return String(settings.seed)
        case .pushLimit where (number(in: settings) ?? 0) == 0: return "none"
        case .cfgEarly where settings.runsEveryStepInFull: return "full"
        default:
            guard let value = number(in: settings), case .number(_, _, _, let decimals) = kind else { return "" }
            return Self.format(value, decimals: decimals) + (poseQuantity?.unit ?? "")
        }
    }

    /// A number row's value as it would be typed: no unit, and a push limit of 0 (shown "none")
    /// as the number; a seed in every digit, which `Float` would round.
    public func typed(_ settings: StudioSettings) -> String {
        if self == .seed { return String(settings.seed) }
        guard let value = number(in: settings), case .number(_, _, _, let decimals) = kind else { return "" }
        return Self.format(value, decimals: decimals)
    }

    public static func format(_ value: Float, decimals: Int) -> String {
        let rounded = Self.rounded(value, decimals: decimals)
        guard decimals > 0 else { return String(Int(rounded)) }
        let scale = Float(pow10(decimals))
        let whole = Int((abs(rounded) * scale).rounded())
        let sign = rounded < 0 && whole != 0 ? "-" : ""
        let fraction = String(whole % pow10(decimals))
        return "\(sign)\(whole / pow10(decimals)).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }

    static func describe(_ face: FaceSource) -> String {
        switch face {
        case .none: return "none"
        case .random(let seed): return "random #\(seed)"
        case .images(let paths):
            let name = paths.first.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? ""
            return paths.count > 1 ? "\(name) +\(paths.count - 1)" : name
        }
    }

    /// A seed moved by `delta`, stopping at 0.
    private static func stepped(_ seed: UInt64, by delta: Int64) -> UInt64 {
        UInt64(max(0, Int64(truncatingIfNeeded: seed) &+ delta))
    }

    private static func rounded(_ value: Float, decimals: Int) -> Float {
        let scale = Float(pow10(decimals))
        return (value * scale).rounded() / scale
    }

    private static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { value, _ in value * 10 } }
}
