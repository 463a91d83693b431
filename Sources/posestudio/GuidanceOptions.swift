import ArgumentParser
import PoseEngine

/// `--guidance`, `--guidance-fraction`, `--guidance-repeats`, `--guidance-lookahead` with its
/// samples, targets and gain, `--guidance-push-limit` and `--pose-prior`: how hard pose guidance
/// pulls, on how many steps, in how many passes, on what readings, how far at most, and from what
/// start; shared by the commands that render from settings and by bench fidelity and bench warm.
struct GuidanceOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Pose guidance weight, 0 to \(Int(StudioSettings.maximumGuidance)) (0: off; new settings: \(SettingsOptions.defaults.guidance)).") var guidance: Float?
    @Option(name: .customLong("guidance-fraction"), parsing: .unconditional,
            help: "Share of the steps, from the noisiest, that pose guidance acts on, 0 to 1 (new settings: \(SettingsOptions.defaults.guidanceFraction)).")
    var guidanceFraction: Float?
    @Option(name: .customLong("guidance-repeats"), parsing: .unconditional,
            help: "Passes of each guided step (1: one): each further pass noises the step's result back and guides it again.")
    var guidanceRepeats: Int?
    @Option(name: .customLong("guidance-lookahead"), parsing: .unconditional,
            help: "A timestep t' (0: off; new settings: 150): above it, the pose head reads the predicted clean latent noised to t', and --guidance times --guidance-lookahead-gain sets how far each step moves that latent.")
    var guidanceLookahead: Int?
    @Option(name: .customLong("guidance-samples"), parsing: .unconditional,
            help: "Readings of each step read ahead (1: one): the rest noise the predicted clean latent to t' afresh, and guidance follows their mean.")
    var guidanceSamples: Int?
    @Option(name: .customLong("guidance-lookahead-targets"), parsing: .upToNextOption,
            help: "The targets read ahead, of pitch, yaw, x, y and scale (new settings: pitch yaw; sessions without the key: all); the others are guided on the step's own latent.")
    var guidanceLookaheadTargets: [PoseQuantity] = []
    @Option(name: .customLong("guidance-lookahead-gain"), parsing: .unconditional,
            help: "The factor on --guidance for the readings ahead (new settings: 10; sessions without the key: 1).")
    var guidanceLookaheadGain: Float?
    @Option(name: .customLong("guidance-push-limit"), parsing: .unconditional,
            help: "The largest change guidance may make to a step's noise prediction, as a share of that prediction's size, 0 to \(Int(StudioSettings.maximumGuidancePushLimit)) (0: no limit; new settings: \(SettingsOptions.defaults.guidancePushLimit ?? 0); sessions without the key: no limit).")
    var guidancePushLimit: Float?
    @Option(name: .customLong("pose-prior"), parsing: .unconditional,
            help: "How strongly the starting noise carries the targets' layout, averaged over people of the synthetic head world: 0 (pure noise) to 50; new settings: 6; sessions without the key: 0. It acts with pose guidance (a target on, --guidance above 0).")
    var posePrior: Float?

    /// `settings` with the values given on the command line in place.
    func apply(to settings: inout StudioSettings) {
        if let guidance { settings.guidance = guidance }
        if let guidanceFraction { settings.guidanceFraction = guidanceFraction }
        if let guidanceRepeats { settings.guidanceRepeats = guidanceRepeats }
        if let guidanceLookahead { settings.guidanceLookahead = guidanceLookahead }
        if let guidanceSamples { settings.guidanceSamples = guidanceSamples }
        if !guidanceLookaheadTargets.isEmpty { settings.guidanceLookaheadTargets = guidanceLookaheadTargets }
        if let guidanceLookaheadGain { settings.guidanceLookaheadGain = guidanceLookaheadGain }
        if let guidancePushLimit { settings.guidancePushLimit = guidancePushLimit }
        if let posePrior { settings.posePrior = posePrior }
    }
}

extension PoseQuantity: ExpressibleByArgument {}
