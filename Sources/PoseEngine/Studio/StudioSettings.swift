/// Everything a user edits in the studio, and all a headless render needs:
/// the same settings and seed always give the same image.
public struct StudioSettings: Codable, Sendable, Equatable {
    public var prompt = "a photo of a person"
    /// Pose targets (each on or off) the readout guidance steers toward.
    public var targets = GuidanceTargets()
    /// Readout guidance weight (0: no pose guidance). On the default model, 60 halved the
    /// judged x and scale errors against unguided renders; 2, the weight before, changed little
    /// (`posestudio bench fidelity --quick --guidance W`). With each push bounded
    /// (`guidancePushLimit`), 90 keeps the heads whole and places them closer.
    public var guidance: Float = 90
    /// Share of the steps, from the noisiest, on which pose guidance acts. Reading pitch and yaw
    /// ahead wants three quarters (with the main head before: half gave yaw 28.5 deg against 25.1
    /// on the fidelity bench).
    public var guidanceFraction: Float = 0.75
    /// Passes of each guided step: after the first, the step's result is noised back to the
    /// step's own level and guided again, so the denoiser can turn each push into picture
    /// content before the next (self-recurrence, as in universal guidance). Costs one more UNet
    /// pass, forward and back, per guided step and repeat; a new submit in the studio waits for
    /// the passes of the step under way.
    public var guidanceRepeats = 1
    /// 0: the pose head reads x_t. Otherwise a timestep t' above which the head reads the
    /// denoiser's predicted clean latent noised to t' for the targets in
    /// `guidanceLookaheadTargets` (`GuidanceLookahead`); the guidance weight times
    /// `guidanceLookaheadGain` then sets how far each step moves that latent. The default reads
    /// pitch and yaw ahead to 150 at ten times the weight: on the default model's fidelity bench
    /// that brings the judged pitch and yaw errors from 19.7 and 39.8 deg to 14.5 and 25.0.
    public var guidanceLookahead = 150
    /// Readings of each step's predicted clean latent when guidance reads ahead: the first noised
    /// with the step's own eps, the rest with fresh seeded noise; guidance follows their mean loss
    /// (`GuidanceLookahead`). Costs one more down-path pass, forward and back, per reading.
    public var guidanceSamples = 1
    /// The targets read ahead when `guidanceLookahead` is on; guidance reads the other active
    /// targets on x_t in the same steps. nil (older sessions): all of them. Placement is guided
    /// better on x_t, and turning better ahead.
    public var guidanceLookaheadTargets: [PoseQuantity]? = [.pitch, .yaw]
    /// The factor on `guidance` for the readings ahead (a move of the predicted clean latent
    /// wants about ten times the weight of a push on x_t). nil (older sessions): 1.
    public var guidanceLookaheadGain: Float? = 10
    /// The largest change guidance may make to a step's noise prediction, as a share of that
    /// prediction's norm (`PoseGuidance.pushLimit`); nil (older sessions, which saved a weight
    /// without it) or 0: no limit.
    /// Unbounded, the noisiest guided steps pushed up to 2.7 times the prediction's norm and some
    /// renders came out as coloured noise; bounded at 0.5 with the weight raised from 60 to 90,
    /// the fidelity bench of the default model judged x, y and scale closer, pitch and yaw as
    /// close, and faces likelier (docs/guidance.md).
    public var guidancePushLimit: Float? = 0.5
    /// How strongly the starting noise carries the targets' layout (`PosePrior`), as a multiple
    /// of what the forward process would leave of it at the first step; it acts when pose
    /// guidance does (`laysPosePrior`). nil (older sessions) or 0: pure noise. On the fidelity
    /// bench of the model it was tuned on, 6 halved the x error (0.083 to 0.042) and ordered yaw
    /// sweeps at 0.91 against 0.78, for 2 deg of pitch and some likeness; on the UNet trained
    /// further that now underlies the default, it took x from 0.112 to 0.051 (docs/guidance.md).
    public var posePrior: Float? = 6
    public var face: FaceSource = .none
    /// A second face mixed in at `faceMix` (0: face A only, 1: face B only).
    public var faceB: FaceSource = .none
    public var faceMix: Float = 0
    public var faceMixMode: FaceEmbedding.MixMode = .linear
    /// Noise added to the face embedding (standard deviation per component) for variations.
    public var faceJitter: Float = 0
    /// Face0's 3-way classifier-free guidance (w, c, a).
    public var cfg = CFGWeights()
    /// The timestep at and below which the CFG weights act in full. The noisier steps above it
    /// run standard CFG at `cfgEarlyScale`, as in guidance applied in a limited interval: they
    /// set the layout, and full CFG there turns heads to their right and pulls them toward the
    /// large ones it favours (measured: docs/guidance.md). `cfgFromEveryStep` guides every step in full.
    public var cfgFrom = 300
    /// The `cfgFrom` above every timestep of the schedule: CFG in full on every step, as sessions
    /// saved before the gentler noisy steps ran.
    public static let cfgFromEveryStep = 1000
    /// The CFG scale of the steps above `cfgFrom`, on the text and face prediction, and never
    /// above `cfg.scale` (see `earlyCFG`); 1 runs that prediction alone.
    public var cfgEarlyScale: Float = 3
    public var steps = 20
    /// Steps of the quick first picture a submit streams before refining.
    public var previewSteps = 4
    public var sampler: SamplerKind = .ddim
    /// DDIM's eta (0: deterministic DDIM; 1: DDPM-like noise).
    public var eta: Float = 0
    public var seed: UInt64 = 0

    public init() {}

    /// Session files from older or newer versions may lack keys: those take the defaults.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = StudioSettings()
        prompt = try c.decodeIfPresent(String.self, forKey: .prompt) ?? d.prompt
        targets = try c.decodeIfPresent(GuidanceTargets.self, forKey: .targets) ?? d.targets
        guidance = try c.decodeIfPresent(Float.self, forKey: .guidance) ?? d.guidance
        // Sessions without these keys are older than reading ahead: they guided half the steps, on x_t.
        guidanceFraction = try c.decodeIfPresent(Float.self, forKey: .guidanceFraction) ?? 0.5
        guidanceRepeats = try c.decodeIfPresent(Int.self, forKey: .guidanceRepeats) ?? d.guidanceRepeats
        guidanceLookahead = try c.decodeIfPresent(Int.self, forKey: .guidanceLookahead) ?? 0
        guidanceSamples = try c.decodeIfPresent(Int.self, forKey: .guidanceSamples) ?? d.guidanceSamples
        guidanceLookaheadTargets = try c.decodeIfPresent([PoseQuantity].self, forKey: .guidanceLookaheadTargets)
        guidanceLookaheadGain = try c.decodeIfPresent(Float.self, forKey: .guidanceLookaheadGain)
        // A file that saved a weight without the bound guided unbounded; one without a weight
        // takes new settings' weight, and the bound that weight was chosen with.
        guidancePushLimit = try c.decodeIfPresent(Float.self, forKey: .guidancePushLimit)
            ?? (c.contains(.guidance) ? nil : d.guidancePushLimit)
        posePrior = try c.decodeIfPresent(Float.self, forKey: .posePrior)
        face = try c.decodeIfPresent(FaceSource.self, forKey: .face) ?? d.face
        faceB = try c.decodeIfPresent(FaceSource.self, forKey: .faceB) ?? d.faceB
        faceMix = try c.decodeIfPresent(Float.self, forKey: .faceMix) ?? d.faceMix
        faceMixMode = try c.decodeIfPresent(FaceEmbedding.MixMode.self, forKey: .faceMixMode) ?? d.faceMixMode
        faceJitter = try c.decodeIfPresent(Float.self, forKey: .faceJitter) ?? d.faceJitter
        cfg = try c.decodeIfPresent(CFGWeights.self, forKey: .cfg) ?? d.cfg
        // Sessions without these keys are older than the gentler noisy steps: they ran full CFG on
        // every step, or (with a `cfgFrom`) the text and face prediction alone above it. A file that
        // names an early scale but no timestep takes new settings' timestep, so the scale acts.
        cfgFrom = try c.decodeIfPresent(Int.self, forKey: .cfgFrom) ?? (c.contains(.cfgEarlyScale) ? d.cfgFrom : Self.cfgFromEveryStep)
        cfgEarlyScale = try c.decodeIfPresent(Float.self, forKey: .cfgEarlyScale) ?? 1
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? d.steps
        previewSteps = try c.decodeIfPresent(Int.self, forKey: .previewSteps) ?? d.previewSteps
        sampler = try c.decodeIfPresent(SamplerKind.self, forKey: .sampler) ?? d.sampler
        eta = try c.decodeIfPresent(Float.self, forKey: .eta) ?? d.eta
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
    }

    /// True when no step is above `cfgFrom`: CFG acts in full on every step.
    public var runsEveryStepInFull: Bool { cfgFrom >= Self.cfgFromEveryStep }

    /// The CFG weights of the steps above `cfgFrom`: standard CFG on the text and face
    /// prediction at `cfgEarlyScale`, capped at `cfg.scale` so that lowering the CFG scale (to 1:
    /// no classifier-free guidance) lowers it on every step. The cap never goes below 1: a scale
    /// under 1 leans toward the unconditioned prediction, which those steps never took. (`face`
    /// is carried for completeness; at `combined` 1 it weighs nothing.)
    public var earlyCFG: CFGWeights {
        CFGWeights(scale: min(cfgEarlyScale, cfgEarlyCap), combined: 1, face: cfg.face)
    }

    /// The highest scale the steps above `cfgFrom` run (see `earlyCFG`).
    public var cfgEarlyCap: Float { max(cfg.scale, 1) }

    /// These settings with the noisier steps' CFG scale at `scale`. A session that runs CFG in
    /// full on every step has no noisier steps for the scale to set, so it takes new settings'
    /// `cfgFrom` as well.
    public func withCFGEarlyScale(_ scale: Float) -> StudioSettings {
        var s = self
        s.cfgEarlyScale = scale
        if runsEveryStepInFull { s.cfgFrom = StudioSettings().cfgFrom }
        return s
    }

    /// Pose guidance as the denoiser applies it.
    public var poseGuidance: PoseGuidance { PoseGuidance(targets: targets, weight: guidance, pushLimit: guidancePushLimit) }

    /// True when walks start from the pose prior: a strength above 0, and pose guidance that acts
    /// (a weight above 0, a target on, some steps guided); the prior's layout is the targets'.
    public var laysPosePrior: Bool {
        (posePrior ?? 0) > 0 && poseGuidance.isActive && guidanceFraction > 0
    }

    /// Steps [0, guidedSteps(of: n)) of an n-step trajectory are guided.
    public func guidedSteps(of n: Int) -> Int {
        Int((guidanceFraction * Float(n)).rounded(.up))
    }

    /// True when `other` differs from these settings in pose targets or guidance weight at most:
    /// the same noise, conditioning and schedule, so a trajectory can be resumed.
    public func differsOnlyInGuidance(from other: StudioSettings) -> Bool {
        var resumed = self
        (resumed.targets, resumed.guidance) = (other.targets, other.guidance)
        return resumed == other
    }

    /// The largest move of one pose target, as a share of its half range (45 degrees of pitch,
    /// 90 of yaw, half the image for x and y, 0.325 of scale), that a render resumed from the
    /// cache still follows: the layout is set in the first guided steps, which a resume skips.
    /// Measured on the default model (12 renders, resumed halfway through the guided steps):
    /// after jumps to unrelated targets the x error of resumed renders was 0.23, fresh renders'
    /// 0.13. How far the head follows a move of this size depends on the resume step
    /// (`SamplerActor.resumeStep`, measured by `posestudio bench warm`).
    /// In the studio, every arrow press resumes, and so do the coarse steps of yaw (15 degrees)
    /// and of x and y (0.1); the coarse steps of pitch (10 degrees) and scale (0.1) start from noise.
    public static let resumableTargetMove: Float = 0.2

    /// The largest pose guidance weight the settings take.
    public static let maximumGuidance: Float = 1000
    /// More passes per guided step than this cost far more time than they bring.
    public static let maximumGuidanceRepeats = 8
    public static let maximumGuidanceSamples = 16
    /// A push ten times the noise prediction's own size is past any the default model needed.
    public static let maximumGuidancePushLimit: Float = 10
    /// Strength 10 already cost likeness on the model the prior was tuned on (docs/guidance.md); far beyond
    /// this the prior would rival the noise itself (at 50, a yaw target's came to 0.6 of the
    /// noise's RMS).
    public static let maximumPosePrior: Float = 50

    /// Float rounding of the normalised values: a move of exactly `resumableTargetMove` (x from
    /// -0.3 to -0.2 comes out as 0.20000002) still resumes.
    static let resumeTolerance: Float = 1e-5

    /// True when these settings can resume a trajectory made with `previous`: only the guidance
    /// weight or the targets changed, the same targets are on, and none moved further than
    /// `resumableTargetMove`.
    public func canResume(from previous: StudioSettings) -> Bool {
        guard differsOnlyInGuidance(from: previous), Set(targets.active) == Set(previous.targets.active) else { return false }
        let (now, before) = (targets.values.normalized, previous.targets.values.normalized)
        return targets.active.allSatisfy { abs(now[$0.index] - before[$0.index]) <= Self.resumableTargetMove + Self.resumeTolerance }
    }

    /// Everything wrong with these settings, in words a user can act on; empty when usable.
    public func problems() -> [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ message: String) { if !ok { problems.append(message) } }
        check((1...1000).contains(steps), "steps must be between 1 and 1000 (got \(steps))")
        check((1...1000).contains(previewSteps), "preview steps must be between 1 and 1000 (got \(previewSteps))")
        check(cfg.scale.isFinite && (0...50).contains(cfg.scale), "cfg must be between 0 and 50 (got \(cfg.scale))")
        check((0...1).contains(cfg.combined), "cfg-combined must be between 0 and 1 (got \(cfg.combined))")
        check((0...1).contains(cfg.face), "cfg-face must be between 0 and 1 (got \(cfg.face))")
        let everyStep = Self.cfgFromEveryStep
        check((0...everyStep).contains(cfgFrom), "cfg-from must be a timestep between 0 and \(everyStep) (\(everyStep): every step in full; got \(cfgFrom))")
        check(cfgEarlyScale.isFinite && (0...50).contains(cfgEarlyScale),
              "cfg-early must be between 0 and 50 (1: the text and face prediction alone; got \(cfgEarlyScale))")
        check(guidance.isFinite && (0...Self.maximumGuidance).contains(guidance),
              "guidance must be between 0 and \(Int(Self.maximumGuidance)) (got \(guidance))")
        check((0...1).contains(guidanceFraction), "guidance fraction must be between 0 and 1 (got \(guidanceFraction))")
        if let guidancePushLimit {
            check(guidancePushLimit.isFinite && (0...Self.maximumGuidancePushLimit).contains(guidancePushLimit),
                  "guidance push limit must be between 0 (no limit) and \(Int(Self.maximumGuidancePushLimit)) (got \(guidancePushLimit))")
        }
        check((0...999).contains(guidanceLookahead), "guidance lookahead must be a timestep between 0 (off) and 999 (got \(guidanceLookahead))")
        check((1...Self.maximumGuidanceRepeats).contains(guidanceRepeats),
              "guidance repeats must be between 1 and \(Self.maximumGuidanceRepeats) (got \(guidanceRepeats))")
        check((1...Self.maximumGuidanceSamples).contains(guidanceSamples),
              "guidance samples must be between 1 and \(Self.maximumGuidanceSamples) (got \(guidanceSamples))")
        check(guidanceSamples == 1 || guidanceLookahead > 0,
              "guidance samples are readings of a lookahead: set a guidance lookahead too (e.g. 150)")
        if let guidanceLookaheadTargets {
            check(!guidanceLookaheadTargets.isEmpty && Set(guidanceLookaheadTargets).count == guidanceLookaheadTargets.count,
                  "guidance lookahead targets must name each of pitch, yaw, x, y, scale at most once, and at least one")
        }
        if let guidanceLookaheadGain {
            check(guidanceLookaheadGain.isFinite && (0...100).contains(guidanceLookaheadGain),
                  "guidance lookahead gain must be between 0 and 100 (got \(guidanceLookaheadGain))")
        }
        if let posePrior {
            check(posePrior.isFinite && (0...Self.maximumPosePrior).contains(posePrior),
                  "pose prior must be between 0 (off) and \(Int(Self.maximumPosePrior)) (got \(posePrior))")
        }
        check((0...1).contains(faceMix), "face-mix must be between 0 and 1 (got \(faceMix))")
        check((0...1).contains(faceJitter), "face jitter must be between 0 and 1 (got \(faceJitter))")
        check((0...1).contains(eta), "eta must be between 0 and 1 (got \(eta))")
        check(faceB.isNone || !face.isNone, "a second face (--face-b) needs a first one (--face or --face-seed)")
        if case .images(let paths) = face { check(!paths.isEmpty, "a face from images needs at least one image file") }
        let v = targets.values
        check((-90...90).contains(v.pitch), "pitch must be between -90 and 90 degrees (got \(v.pitch))")
        check((-180...180).contains(v.yaw), "yaw must be between -180 and 180 degrees (got \(v.yaw))")
        check((-0.5...0.5).contains(v.x) && (-0.5...0.5).contains(v.y), "x and y must be between -0.5 and 0.5")
        check((0.05...1.5).contains(v.scale), "scale must be between 0.05 and 1.5 (got \(v.scale))")
        return problems
    }
}
