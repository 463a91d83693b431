import Foundation

/// A numeric setting a sweep can vary, by its command-line name.
public enum SweepParameter: String, CaseIterable, Sendable, Codable {
    case pitch, yaw, x, y, scale
    case faceMix = "face-mix", cfg, cfgEarly = "cfg-early", cfgCombined = "cfg-combined", cfgFace = "cfg-face", guidance
    case posePrior = "pose-prior", guidancePushLimit = "guidance-push-limit"

    /// `settings` with this parameter set to `value` (a pose target is also switched on; the
    /// pose prior changes nothing unless pose guidance acts, see `StudioSettings.laysPosePrior`;
    /// the noisier steps' CFG scale is capped at the CFG scale, see `StudioSettings.earlyCFG`).
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
        case .cfgEarly: s = s.withCFGEarlyScale(value)
        case .cfgCombined: s.cfg.combined = value
        case .cfgFace: s.cfg.face = value
        case .guidance: s.guidance = value
        case .posePrior: s.posePrior = value
        case .guidancePushLimit: s.guidancePushLimit = value
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

    public var values: [Float] {
        guard frames > 1 else { return [from] }
        return (0..<frames).map { from + (to - from) * Float($0) / Float(frames - 1) }
    }

    /// The file a sweep's frame `index` is written to, in the folder of its frames.
    public static func frameFileName(_ index: Int) -> String {
        String(format: "frame-%03d.png", index)
    }

    /// The settings of every frame.
    public func settings(from base: StudioSettings) -> [StudioSettings] {
        values.map { parameter.apply($0, to: base) }
    }

    /// Why frames of this sweep from `base` will come out alike, when they will: said before a
    /// sweep renders, so that nobody waits for a sheet of one picture.
    public func alikeFrames(from base: StudioSettings) -> String? {
        let frames = settings(from: base)
        switch parameter {
        case .posePrior where !frames.contains(where: \.laysPosePrior):
            return "the pose prior acts only with pose guidance (a target on, guidance above 0): every frame will be alike"
        case .guidance, .guidancePushLimit:
            guard base.targets.active.isEmpty else { return nil }
            return "no pose target is on, so pose guidance steers nothing: every frame will be alike"
        case .faceMix where base.face.isNone || base.faceB.isNone:
            let missing = base.face.isNone ? "no face A" : "no face B"
            return "face-mix mixes face A toward face B, and there is \(missing): every frame will be alike"
        case .cfgEarly:
            guard let over = frames.first(where: { $0.cfgEarlyScale > $0.cfgEarlyCap }) else { return nil }
            return "the early CFG scale is capped at the CFG scale (\(over.cfgEarlyCap)): the frames above it are alike"
        default:
            return nil
        }
    }
}
