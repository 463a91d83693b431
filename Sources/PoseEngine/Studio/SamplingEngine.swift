import Foundation

/// Settings in, images out: conditioning (cached between calls), trajectories
/// step by step, previews and decodes. Single-threaded; the SamplerActor and
/// the headless commands each own one.
public final class SamplingEngine {
    public let models: StudioModels
    let denoiser: GuidedDenoiser
    private let faceImageLoader: FaceImageLoader
    /// Embeddings of face image files: filled as faces are encoded, and consulted when a file
    /// cannot be read (a session's recorded embedding stands in for a moved image).
    public let faceStore: FaceEmbeddingStore
    /// The face encoder's weights fingerprint: a recorded embedding stands in for an image only
    /// when this encoder made it.
    private let faceEncoderFingerprint: String
    private let cache = ConditioningCache()
    private let priors: PosePriorCache

    public init(models: StudioModels, faceImageLoader: @escaping FaceImageLoader,
                faceStore: FaceEmbeddingStore = FaceEmbeddingStore()) {
        self.models = models
        denoiser = GuidedDenoiser(unet: models.unet, head: models.poseHead, lookaheadHead: models.lookaheadHead)
        self.faceImageLoader = faceImageLoader
        self.faceStore = faceStore
        faceEncoderFingerprint = models.faceEncoder.weightsFingerprint
        priors = PosePriorCache(vae: models.vae)
    }

    /// Validates `settings` and builds the contexts of every branch its CFG weights need.
    public func prepare(_ settings: StudioSettings) throws(StudioError) -> PreparedConditioning {
        let problems = settings.problems()
        guard problems.isEmpty else { throw .invalidSettings(problems) }
        let embedding = try faceEmbedding(settings)
        let prompt = cache.text(settings.prompt, encoder: models.textEncoder)
        let empty = cache.text("", encoder: models.textEncoder)
        let dimension = models.faceProjector.config.embeddingDim
        let tokens = models.faceProjector.forward(Tensor(shape: [1, dimension], scalars: embedding ?? [Float](repeating: 0, count: dimension)))
        func contexts(_ plan: BranchPlan) -> Tensor {
            Face0Context.batch(for: plan, prompt: prompt, empty: empty, faceTokens: tokens, hasFace: embedding != nil)
        }
        let plan = BranchPlan(weights: settings.cfg, hasFace: embedding != nil)
        let early = BranchPlan(weights: settings.earlyCFG, hasFace: embedding != nil)
        return PreparedConditioning(plan: plan, contexts: contexts(plan), earlyPlan: early,
                                    earlyContexts: contexts(early), faceEmbedding: embedding)
    }

    /// The face the settings describe: A, mixed toward B, jittered.
    public func faceEmbedding(_ settings: StudioSettings) throws(StudioError) -> [Float]? {
        guard let a = try embedding(of: settings.face) else { return nil }
        var face = a
        if settings.faceMix > 0, let b = try embedding(of: settings.faceB) {
            face = FaceEmbedding.mix(a, b, at: settings.faceMix, mode: settings.faceMixMode)
        }
        return FaceEmbedding.jittered(face, amount: settings.faceJitter, seed: settings.seed)
    }

    /// The embedding of one source: image files through the face encoder (averaged), or a seed.
    public func embedding(of source: FaceSource) throws(StudioError) -> [Float]? {
        do {
            return try cache.face(source) {
                switch source {
                case .none: return nil
                case .random(let seed): return models.randomFace(seed: seed)
                case .images(let paths): return try paths.map(encodeFace).averaged
                }
            }
        } catch let error as StudioError {
            throw error
        } catch {
            throw .faceImageUnreadable(path: "\(source)", reason: "\(error)")
        }
    }

    private func encodeFace(_ path: String) throws -> [Float] {
        let image: SynthImage
        do {
            image = try faceImageLoader(path)
        } catch {
            guard let recorded = faceStore[path] else { throw StudioError.faceImageUnreadable(path: path, reason: "\(error)") }
            guard recorded.encoder == faceEncoderFingerprint, recorded.embedding.count == models.faceEncoder.embeddingDim else {
                let maker = recorded.encoder == nil ? "a face encoder the session does not name" : "another face encoder"
                throw StudioError.faceImageUnreadable(
                    path: path, reason: "\(error); the embedding the session recorded for it was made by \(maker), not this model's, "
                        + "so it would draw another person: put the image back, or choose the face again")
            }
            return recorded.embedding
        }
        let embedding = models.faceEncoder.embedding(of: image)
        faceStore.record(embedding, for: path, encoder: faceEncoderFingerprint)
        return embedding
    }

    /// A trajectory of `steps` steps from the settings' seeded noise.
    public func start(_ settings: StudioSettings, steps: Int) -> TrajectoryState {
        let scheduler = settings.sampler.makeScheduler(steps: steps, schedule: models.schedule, eta: settings.eta)
        var generator = SeededGenerator(seed: settings.seed)
        let noise = Tensor.randomNormal(models.latentShape, generator: &generator)
        var sample = scheduler.initialSample(noise: noise)
        if let prior = weightedPrior(settings) {
            sample = sample + scheduler.sample(fromModelInput: prior * scheduler.alphaBar(step: 0).squareRoot(), step: 0)
        }
        return TrajectoryState(scheduler: scheduler, sample: sample, generator: generator,
                               nextStep: 0, guidedSteps: settings.guidedSteps(of: scheduler.stepCount))
    }

    /// The rest of `state`, a trajectory of `previous`, walked in `steps` steps under `settings`
    /// (pose targets or guidance weight changed). The layout the pose prior laid into the
    /// trajectory's start is swapped for the new targets' at the level of signal the resumed step
    /// keeps, so the resumed walk does not hold on to the old targets' layout.
    public func resumed(_ state: TrajectoryState, inSteps steps: Int, _ settings: StudioSettings,
                        trajectoryOf previous: StudioSettings) -> TrajectoryState {
        var rest = state.remainder(inSteps: steps, sampler: settings.sampler, eta: settings.eta)
        guard !rest.isFinished else { return rest }
        let (before, after) = (weightedPrior(previous), weightedPrior(settings))
        guard before != nil || after != nil else { return rest }
        // As if the prior had stayed signal, carried at sqrt(alpha_bar) like a clean latent, all the
        // way down to the resumed step: an assumption, which `posestudio bench warm` bears out
        // (resumed walks follow x 91% of a step with the swap, 38% without).
        let zero = Tensor(zeros: models.latentShape)
        let change = ((after ?? zero) - (before ?? zero)) * rest.scheduler.alphaBar(step: 0).squareRoot()
        rest.sample = rest.sample + rest.scheduler.sample(fromModelInput: change, step: 0)
        return rest
    }

    /// The prior latent times the settings' strength, or nil when they lay none; a walk's model
    /// input carries it times sqrt(alpha_bar), as the forward process carries a clean latent.
    func weightedPrior(_ settings: StudioSettings) -> Tensor? {
        guard settings.laysPosePrior, let strength = settings.posePrior else { return nil }
        return posePriorLatent(settings.targets) * strength
    }

    /// `PosePrior`'s latent for `targets` (kept for the latest few targets).
    func posePriorLatent(_ targets: GuidanceTargets) -> Tensor {
        priors.latent(for: targets)
    }

    /// Runs step `state.nextStep`; guidance acts on the trajectory's guided steps. Throws
    /// `StudioError.notFinite` naming the step when the latent it leaves is not finite: every
    /// caller, the studio's sampler included, stops there.
    public func advance(_ state: inout TrajectoryState, settings: StudioSettings,
                        conditioning: PreparedConditioning) throws(StudioError) -> StepReport {
        let started = ContinuousClock.now
        let index = state.nextStep
        let scheduler = state.scheduler
        let guided = index < state.guidedSteps && settings.poseGuidance.isActive
        let alphaBar = scheduler.alphaBar(step: index)
        let lookahead = self.lookahead(settings, step: index)
        let branches = conditioning.branches(atTimestep: scheduler.timesteps[index], cfgFrom: settings.cfgFrom)
        func predict(_ x: Tensor) -> GuidedDenoiser.Prediction {
            denoiser.predict(x, timestep: scheduler.timesteps[index], alphaBar: alphaBar, plan: branches.plan,
                             contexts: branches.contexts, guidance: guided ? settings.poseGuidance : nil, lookahead: lookahead)
        }
        var x = scheduler.modelInput(state.sample, step: index)
        var prediction = predict(x)
        // The last step has no noisier level to come back from, so it is never repeated.
        let passes = guided && index + 1 < scheduler.stepCount ? settings.guidanceRepeats : 1
        for pass in 1...max(passes, 1) {
            let before = state
            state.sample = state.scheduler.step(state.sample, eps: prediction.eps, step: index, generator: &state.generator)
            guard pass < passes else { break }
            // Back to this step's noise level, with the scheduler's history as it was before the step.
            var generator = state.generator
            let again = scheduler.renoised(state.sample, afterStep: index, generator: &generator)
            state = before
            state.generator = generator
            state.sample = again
            x = scheduler.modelInput(again, step: index)
            prediction = predict(x)
        }
        state.nextStep += 1
        try Self.checkFinite(state, afterStep: index)
        let predicted = GuidanceLookahead.predictedClean(x, eps: prediction.eps, alphaBar: alphaBar)
        let elapsed = ContinuousClock.now - started
        return StepReport(predictedLatent: predicted, timestep: scheduler.timesteps[index], estimate: prediction.estimate,
                          guided: guided, guidanceLoss: prediction.guidanceLoss,
                          milliseconds: Double(elapsed.components.attoseconds) * 1e-15 + Double(elapsed.components.seconds) * 1e3,
                          batchRows: prediction.batchRows)
    }

    /// How step `step` reads ahead under `settings`, or nil when guidance reads x_t alone; keys
    /// older sessions lack read every target ahead at the guidance weight, as they did then.
    func lookahead(_ settings: StudioSettings, step: Int) -> GuidanceLookahead? {
        guard settings.guidanceLookahead > 0 else { return nil }
        return GuidanceLookahead(timestep: settings.guidanceLookahead, alphaBar: Float(models.schedule.alphaBar(settings.guidanceLookahead)),
                                 samples: settings.guidanceSamples, noiseSeed: Self.readingNoiseSeed(settings.seed, step: step),
                                 quantities: settings.guidanceLookaheadTargets ?? PoseQuantity.allCases,
                                 gain: settings.guidanceLookaheadGain ?? 1)
    }

    /// The seed of a step's fresh lookahead noise: its own per seed and step, apart from the
    /// trajectory's generator, so readings change nothing else the seed draws.
    static func readingNoiseSeed(_ seed: UInt64, step: Int) -> UInt64 {
        var generator = SeededGenerator(seed: seed ^ (UInt64(step + 1) &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }

    /// The finished trajectory's latent, decoded by the VAE.
    public func finalImage(_ state: TrajectoryState) -> SynthImage {
        models.decode(state.scheduler.finalLatent(state.sample))
    }

    /// A complete render from noise (no preview phase): the image and the head's last estimate.
    /// `onStep` sees each step's index and report as the step ends.
    public func render(_ settings: StudioSettings, onStep: (Int, StepReport) -> Void = { _, _ in })
        throws(StudioError) -> (image: SynthImage, estimate: PoseValues?) {
        let conditioning = try prepare(settings)
        var state = start(settings, steps: settings.steps)
        var estimate: PoseValues?
        while !state.isFinished {
            let index = state.nextStep
            let report = try advance(&state, settings: settings, conditioning: conditioning)
            onStep(index, report)
            estimate = report.estimate
        }
        return (finalImage(state), estimate)
    }

    /// What a warm update makes: `previous`'s trajectory from noise up to step `step`, then
    /// `settings` from there to the end in `remaining` steps (the SamplerActor resumes its cached
    /// trajectory so).
    public func render(_ settings: StudioSettings, resumingAt step: Int, inSteps remaining: Int,
                       trajectoryOf previous: StudioSettings) throws(StudioError) -> SynthImage {
        let earlier = try prepare(previous)
        var state = start(previous, steps: previous.steps)
        while state.nextStep < step, !state.isFinished { _ = try advance(&state, settings: previous, conditioning: earlier) }
        let conditioning = try prepare(settings)
        state = resumed(state, inSteps: remaining, settings, trajectoryOf: previous)
        while !state.isFinished { _ = try advance(&state, settings: settings, conditioning: conditioning) }
        return finalImage(state)
    }

    /// A model whose weights or config make it diverge turns the latent into NaN or infinity,
    /// and every picture after that is meaningless: said once, naming the step.
    private static func checkFinite(_ state: TrajectoryState, afterStep step: Int) throws(StudioError) {
        guard state.sample.scalars.allSatisfy(\.isFinite) else { throw .notFinite(step: step + 1) }
    }
}

extension Array where Element == [Float] {
    var averaged: [Float]? { isEmpty ? nil : FaceEmbedding.average(self) }
}
