import Foundation

/// A numeric setting a sweep can vary, by its command-line name.
public enum SweepParameter: String, CaseIterable, Sendable, Codable {
    case pitch, yaw, x, y, scale
    case faceMix = "face-mix", cfg, cfgCombined = "cfg-combined", cfgFace = "cfg-face", guidance
    case posePrior = "pose-prior", guidancePushLimit = "guidance-push-limit"
    /// The seed of the noise: the same settings drawn several ways, to choose among by eye (the
    /// pose head cannot tell which of them sits closest to the targets: docs/guidance.md).
    case seed

    /// The seeds a sweep can step through: whole numbers a Float holds exactly.
    public static let seedRange: ClosedRange<Float> = 0...16_777_216

    /// `settings` with this parameter set to `value` (a pose target is also switched on; the
    /// pose prior changes nothing unless pose guidance acts, see `StudioSettings.laysPosePrior`).
    public func apply(_ value: Float, to settings: StudioSettings) -> StudioSettings {
        var s = settings
        switch self {
        case .pitch: s.targets.steer(.pitch, to: value)
        case .yaw: s.targets.steer(.yaw, to: value)
        case .x: s.targets.steer(.x, to: value)
        case .y: s.targets.steer(.y, to: value)
        case .scale: s.targets.steer(.scale, to: value)
        case .faceMix: s.faceMix = value
        case .cfg: s.cfg.scale = value
        case .cfgCombined: s.cfg.combined = value
        case .cfgFace: s.cfg.face = value
        case .guidance: s.guidance = value
        case .posePrior: s.posePrior = value
        case .guidancePushLimit: s.guidancePushLimit = value
        case .seed: s.seed = UInt64(min(max(value, Self.seedRange.lowerBound), Self.seedRange.upperBound).rounded())
        }
        return s
    }
}

/// One parameter stepped evenly from `from` to `to` over `frames` renders, all else equal.
public struct Sweep: Sendable, Equatable {
    public var parameter: SweepParameter
    public var from: Float
    public var to: Float
    public var frames: Int

    /// How many frames a sweep may have, from the command line or the studio.
    public static let frameLimit = 2...64

    public init(parameter: SweepParameter, from: Float, to: Float, frames: Int) {
        (self.parameter, self.from, self.to, self.frames) = (parameter, from, to, frames)
    }

    /// Why the sweep cannot run as asked, or nil: a seed sweep's ends must be seeds.
    public var problem: String? {
        let range = SweepParameter.seedRange
        guard parameter == .seed, !(range.contains(from) && range.contains(to)) else { return nil }
        return "a seed sweep runs between seeds \(Int(range.lowerBound)) and \(Int(range.upperBound)) (got \(from) to \(to))"
    }

    public var values: [Float] {
        guard frames > 1 else { return [from] }
        return (0..<frames).map { from + (to - from) * Float($0) / Float(frames - 1) }
    }

    /// Frame `index`'s value as a user reads it: a seed as the whole seed its frame draws from.
    public func valueText(at index: Int) -> String {
        let value = values[index]
        return parameter == .seed ? "\(parameter.apply(value, to: StudioSettings()).seed)" : "\(value)"
    }

    /// The file a sweep's frame `index` is written to, in the folder of its frames.
    public static func frameFileName(_ index: Int) -> String {
        String(format: "frame-%03d.png", index)
    }

    /// The settings of every frame.
    public func settings(from base: StudioSettings) -> [StudioSettings] {
        values.map { parameter.apply($0, to: base) }
    }
}
