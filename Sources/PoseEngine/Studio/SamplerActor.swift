import Foundation

/// Owns the models and turns each submitted StudioSettings into a stream of
/// frames: a few-step preview, then the full-step render. A new submit ends
/// the previous stream within one step. When only the guidance weight changed
/// since the last full render, or the targets moved by a slider's nudge
/// (`StudioSettings.canResume`), the new render resumes that trajectory a fifth
/// of the way through its guided steps instead of starting from noise (same
/// seed, same identity, no preview pass) and walks the rest in half as many
/// steps, and its frames say so. Settings the cached render was made with exactly render
/// afresh: a resume would only redraw that picture in fewer steps.
public actor SamplerActor {
    private let engine: SamplingEngine
    private var generation = 0
    private var running: Task<Void, Never>?
    private var lastTrajectory: CachedTrajectory?

    /// The states before each step of the last finished full-step render.
    private struct CachedTrajectory {
        var settings: StudioSettings
        var states: [TrajectoryState]
    }

    public init(models: sending StudioModels, faceImageLoader: @escaping FaceImageLoader,
                faceStore: FaceEmbeddingStore = FaceEmbeddingStore()) {
        engine = SamplingEngine(models: models, faceImageLoader: faceImageLoader, faceStore: faceStore)
    }

    /// Starts rendering `settings`, ending any earlier submit's stream; `mayResume` false renders
    /// from noise even when the cached trajectory could be resumed (the studio's "render again").
    /// Throws before any work when the settings are invalid or a face image cannot be read; the
    /// stream ends with `StudioError.notFinite` when the model's latent stops being finite, since
    /// no picture after that means anything.
    public func submit(_ settings: StudioSettings, mayResume: Bool = true) throws(StudioError) -> AsyncThrowingStream<Frame, any Error> {
        generation += 1
        running?.cancel()
        let conditioning = try engine.prepare(settings)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Frame.self)
        let mine = generation
        running = Task { await self.run(settings, conditioning, mayResume: mayResume, generation: mine, continuation) }
        continuation.onTermination = { [weak self] termination in
            guard case .cancelled = termination, let self else { return }
            Task { await self.cancelIfCurrent(mine) }
        }
        return stream
    }

    /// Stops the current submit; its stream ends within one step.
    public func cancel() {
        generation += 1
        running?.cancel()
    }

    /// Stops the current submit and waits for it to end (within one step): nothing of it is left
    /// running, as a process about to exit needs (OpenBLAS frees its buffers at exit).
    public func stop() async {
        cancel()
        await running?.value
    }

    /// Forgets the cached trajectory: the next submit starts from noise.
    public func clearCache() {
        lastTrajectory = nil
    }

    /// The step a resumed render starts at: a fifth of the way through the guided steps. The
    /// layout is set in the first guided steps, so a later resume follows the new targets less:
    /// `posestudio bench warm` on the default model, after the largest move that resumes and with
    /// all the steps left walked, moved the head 108% as far as a fresh render did when resumed at
    /// step 2 of 20 (10 guided), 47% at step 4, 21% at step 6 and 11% at step 8 (pitch, x, y and
    /// scale averaged; yaw barely responds). Those runs guided on x_t; reading pitch and yaw ahead
    /// on 15 guided steps (resumed at step 3), pitch follows 86% of the step and yaw 72%, where a
    /// fresh render follows 109% and 106% (docs/guidance.md).
    public static func resumeStep(for settings: StudioSettings) -> Int {
        max(1, settings.guidedSteps(of: settings.steps) / 5)
    }

    /// The steps a resumed render takes from `resumeStep` to the end: half of those the full walk
    /// has left, spread over the same timesteps, so that a warm update costs less than half a cold
    /// one (287 against 801 ms, `posestudio bench speed`). Resumed at step 2 of 20 on the default
    /// model, renders walked on in 9 steps moved the head 117% as far as fresh ones and differed
    /// from them by 5.4% of the pixel range; in all 18 steps, 108% and 4.9% (`bench warm`).
    public static func resumedSteps(for settings: StudioSettings) -> Int {
        resumedSteps(steps: settings.steps, resumeStep: resumeStep(for: settings))
    }

    /// Half the steps an n-step walk has left after `resumeStep`, rounded up.
    public static func resumedSteps(steps: Int, resumeStep: Int) -> Int {
        max(1, (steps - resumeStep + 1) / 2)
    }

    private func cancelIfCurrent(_ mine: Int) {
        if mine == generation { cancel() }
    }

    private func isCurrent(_ mine: Int) -> Bool { mine == generation && !Task.isCancelled }

    private func run(_ settings: StudioSettings, _ conditioning: PreparedConditioning, mayResume: Bool, generation mine: Int,
                     _ continuation: AsyncThrowingStream<Frame, any Error>.Continuation) async {
        defer { continuation.finish() }
        let resume = Self.resumeStep(for: settings)
        if mayResume, let cached = lastTrajectory, settings != cached.settings, settings.canResume(from: cached.settings),
           resume < cached.states.count {
            let rest = engine.resumed(cached.states[resume], inSteps: Self.resumedSteps(for: settings), settings,
                                      trajectoryOf: cached.settings)
            _ = await walk(rest, phase: .resume, settings, conditioning, mine, continuation)
            return
        }
        if settings.previewSteps < settings.steps {
            let preview = engine.start(settings, steps: settings.previewSteps)
            // The first picture must come quickly: its guided steps take one pass and one reading each.
            var quick = settings
            (quick.guidanceRepeats, quick.guidanceSamples) = (1, 1)
            guard await walk(preview, phase: .preview, quick, conditioning, mine, continuation) != nil else { return }
        }
        let start = engine.start(settings, steps: settings.steps)
        guard let states = await walk(start, phase: .refine, settings, conditioning, mine, continuation) else { return }
        lastTrajectory = CachedTrajectory(settings: settings, states: states)
    }

    /// Steps a trajectory to its end, yielding a frame per step. Returns the state before every
    /// step taken, or nil when a newer submit took over or the latent stopped being finite.
    private func walk(_ start: TrajectoryState, phase: Frame.Phase, _ settings: StudioSettings,
                      _ conditioning: PreparedConditioning, _ mine: Int,
                      _ continuation: AsyncThrowingStream<Frame, any Error>.Continuation) async -> [TrajectoryState]? {
        var state = start
        var states: [TrajectoryState] = []
        let first = state.nextStep
        let total = state.scheduler.stepCount - first
        var spent = 0.0
        while !state.isFinished {
            // Let a waiting submit in between steps; stale work stops here.
            await Task.yield()
            guard isCurrent(mine) else { return nil }
            states.append(state)
            let report: StepReport
            do {
                report = try engine.advance(&state, settings: settings, conditioning: conditioning)
            } catch {
                continuation.finish(throwing: error)
                return nil
            }
            spent += report.milliseconds
            let done = state.nextStep - first
            let last = state.isFinished
            let image = last ? engine.finalImage(state) : engine.models.previewMap.image(report.predictedLatent)
            continuation.yield(Frame(phase: phase, step: done, totalSteps: total, image: image, headEstimate: report.estimate,
                                     msPerStep: spent / Double(done), isFinal: last && phase != .preview,
                                     restartedFromCache: phase == .resume))
        }
        return states
    }
}
