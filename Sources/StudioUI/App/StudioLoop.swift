import AtomicFiles
import Foundation
import ImageFiles
import PoseEngine

/// The UI thread: polls keys with a short timeout, turns them into actions, drains renders
/// between polls, carries out effects and draws. It alone touches curses.
final class StudioLoop {
    private var state: AppState
    private let screen = CursesScreen()
    private let theme: Theme
    private let graphics: GraphicsMode
    private let pipeline: RenderPipeline
    private let signals: TerminationSignals
    private let view: StudioView
    private let faceStore: FaceEmbeddingStore
    /// Reads a face picture the way the sampler will, so a file it cannot read is refused when chosen.
    private let faceImageLoader: FaceImageLoader

    private var liveImage: SynthImage?
    private var liveImageIsFinal = false
    private var sweepImages: [Int: SynthImage] = [:]
    private var sweepTask: Task<Void, Never>?
    private var generation = 0
    private var submittedRevision = -1
    private var running = true
    private var needsPicture = true
    private var lastMode: AppState.Mode = .normal
    private var lastEdit = (count: 0, time: ContinuousClock.now)
    private var lastPlaybackStep = ContinuousClock.now
    /// The control rows on screen, which clicks are read against; nil before the first drawing, and
    /// while the screen is too small or the help covers the panel (a click then reads the rows the
    /// next drawing shows).
    private var drawnPanelRows: PanelRows?

    /// How long edits must rest before they are written to the session file.
    static let autosaveDelay = Duration.seconds(5)
    static let keyPollMilliseconds: Int32 = 30
    static let playbackInterval = Duration.milliseconds(300)

    init(state: AppState, theme: Theme, graphics: GraphicsMode, sampler: SamplerActor, faceStore: FaceEmbeddingStore,
         faceImageLoader: @escaping FaceImageLoader, signals: TerminationSignals) {
        self.state = state
        self.faceStore = faceStore
        self.faceImageLoader = faceImageLoader
        self.theme = theme
        self.graphics = graphics
        self.signals = signals
        pipeline = RenderPipeline(sampler: sampler)
        view = StudioView(screen: screen, graphics: graphics)
        lastEdit.count = state.editCount
    }

    /// The locale variable that decides the character set: LC_ALL overrides LC_CTYPE, which
    /// overrides LANG, so advice to set a weaker one would change nothing.
    static func localeVariable(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        ["LC_ALL", "LC_CTYPE"].first { !(environment[$0] ?? "").isEmpty } ?? "LANG"
    }

    /// Runs until the user quits; the terminal is restored on every way out. Returns a line for
    /// the shell when there is something to tell after the screen is gone.
    func run() -> Farewell? {
        screen.start(theme: theme, autosave: autosavePath)
        defer { screen.stop() }
        if let codeset = screen.nonUTF8Codeset {
            let warning = "locale charset \(codeset) is not UTF-8: glyphs draw as ?; try \(Self.localeVariable())=C.UTF-8"
            state.message = state.message.map { "\($0) · \(warning)" } ?? warning
        }
        while running {
            if let key = screen.poll(milliseconds: Self.keyPollMilliseconds) {
                handle(key)
                // Take every key already typed before rendering: a held arrow moves the slider
                // many notches but submits one render.
                while running, let more = screen.poll(milliseconds: 0) { handle(more) }
            }
            if screen.followTerminalSize() { handle(.resize) }
            if signals.requested { dispatch(.interrupt) }
            drainRenders()
            submitIfNeeded()
            autosaveIfDue()
            stepPlayback()
            if running { draw() }
        }
        stopRendering()
        return farewell
    }

    /// Ends the sweep and the live render and waits for both, so the process exits with no
    /// sampler step under way (one caught mid-step at exit crashed inside OpenBLAS). Blocks the
    /// UI thread, which is not one of the pool's, for at most about one step.
    private func stopRendering() {
        sweepTask?.cancel()
        let (sweep, pipeline) = (sweepTask, self.pipeline)
        let stopped = DispatchSemaphore(value: 0)
        Task {
            await sweep?.value
            await pipeline.shutDown()
            stopped.signal()
        }
        stopped.wait()
    }

    /// Said on the shell after the studio closes: where unsaved work went, or that it was lost
    /// (the command then exits with a failure status).
    enum Farewell {
        case said(String)
        case editsLost(String)
    }

    private var farewell: Farewell?

    private func handle(_ key: KeyEvent) {
        let layout = Layout(columns: screen.columns, rows: screen.rows)
        switch key {
        case .resize:
            screen.repaintAll()
            needsPicture = true
            return
        case .click(let column, let row):
            clicked(column: column, row: row, layout: layout)
            return
        default:
            break
        }
        guard layout.fits || key == .control("c") || key == .character("q") else { return }
        if !layout.fits {
            dispatch(.interrupt)
            return
        }
        guard let action = KeyBindings.action(for: key, in: state, randomSeed: { UInt64.random(in: 0...UInt64(UInt32.max)) }) else {
            return
        }
        if case .scrollHelp(let line) = action {
            // Only the screen knows how far the list can scroll: stop there, so ↑ answers at once.
            let notice = StudioView.cutNotice(in: state, columns: layout.columns)
            dispatch(.scrollHelp(to: min(line, HelpOverlay.maximumScroll(width: layout.columns, height: layout.rows - 1, notice: notice))))
        } else {
            dispatch(action)
        }
    }

    private func clicked(column: Int, row: Int, layout: Layout) {
        guard state.mode == .normal, layout.fits else { return }
        let placement = ImagePlacement(pane: layout.imagePane, mode: graphics)
        if let target = placement.target(column: column, row: row) {
            dispatch(.setPosition(x: target.x, y: target.y))
        } else if layout.panel.contains(column: column, row: row) {
            let rows = PanelRows.forClicks(lastDrawn: drawnPanelRows, panel: layout.panel, selected: state.selected)
            if let control = rows.control(atRow: row) {
                dispatch(.select(delta: control.rawValue - state.selected.rawValue))
            }
        }
    }

    /// Where edits are autosaved: the session's file, else the recovery file.
    private var autosavePath: String? { state.sessionPath ?? recoveryURL?.path }

    private func dispatch(_ action: Action) {
        let before = (strip: state.sweepStrip, autosave: autosavePath)
        state = AppUpdate.update(state, action)
        if state.sweepStrip != before.strip { needsPicture = true }
        if autosavePath != before.autosave { FatalSignals.tell(autosave: autosavePath) }
        let effects = state.effects
        state.effects = []
        // A failed save stops a quit that waits for it (`quitIfSaved`) and sends a plain quit's work to the recovery file.
        var saveFailed = false
        for effect in effects where running { perform(effect, saveFailed: &saveFailed) }
        if state.mode != lastMode {
            // Boxes drawn over the picture (help) or taken away: repaint it all.
            if state.mode == .help || lastMode == .help {
                screen.repaintAll()
                needsPicture = true
            }
            lastMode = state.mode
        }
    }

    private func perform(_ effect: AppState.Effect, saveFailed: inout Bool) {
        switch effect {
        case .save(let path):
            do {
                try sessionFile().save(to: URL(fileURLWithPath: path))
                dispatch(.saved(path: path))
            } catch {
                saveFailed = true
                // Where the edits are safe comes first: the reason can be long, and autosave
                // repeats this message while the file cannot be written.
                dispatch(.fileFailed("not saved · \(keptElsewhere()) · could not save \(path): \(error)"))
            }
        case .completePath(let text, let commaSeparated):
            dispatch(.entryCompleted(PathCompletion.complete(text, commaSeparated: commaSeparated,
                                                             list: PathCompletion.fileSystemListing)))
        case .open(let path):
            do {
                let opened = try SessionFile.open(URL(fileURLWithPath: path))
                faceStore.merge(opened.session)
                dispatch(.opened(path: path, session: opened.session))
                if let warning = opened.ignoredKeysWarning { dispatch(.fileFailed(warning)) }
            } catch {
                dispatch(.fileFailed("could not open \(path): \(error)"))
            }
        case .quit:
            keepUnnamedWork(afterFailedSave: saveFailed)
            running = false
        case .chooseFace(let control, let face):
            if let problem = FaceEntry.unusableImage(in: face, store: faceStore, load: faceImageLoader) {
                dispatch(.fileFailed("\(control.label) unchanged · \(problem)"))
            } else {
                dispatch(.faceChosen(control, face))
            }
        case .quitIfSaved:
            guard !saveFailed else { return }  // the save's message says how to leave keeping the edits
            keepUnnamedWork(afterFailedSave: false)
            running = false
        case .runSweep(let sweep):
            sweepTask?.cancel()
            sweepImages = [:]
            generation += 1
            sweepTask = pipeline.renderSweep(sweep.settings(from: state.settings), generation: generation)
            needsPicture = true
        case .cancelSweep:
            sweepTask?.cancel()
            sweepTask = nil
            sweepImages = [:]
            submittedRevision = -1
            needsPicture = true
        case .exportSweep(let sweep):
            exportSweep(sweep)
        }
    }

    private func exportSweep(_ sweep: Sweep) {
        let base = state.sessionPath.map { URL(fileURLWithPath: $0).deletingPathExtension().path } ?? "posestudio"
        let folder = SweepFramesFolder.unused("\(base)-sweep-\(sweep.parameter.rawValue)")
        do {
            try SweepFramesFolder.prepare(folder)
            var frames: [RGBImage] = []
            for index in 0..<sweep.frames {
                guard let image = sweepImages[index] else { continue }
                let frame = try RGBImage(width: image.width, height: image.height, pixels: image.pixels)
                try frame.writePNG(to: folder + "/" + Sweep.frameFileName(index))
                frames.append(frame)
            }
            let sheet = try RGBImage.contactSheet(frames)
            try sheet.writePNG(to: folder + "/contact-sheet.png")
            dispatch(.sweepExported(folder: folder))
        } catch {
            dispatch(.fileFailed("could not export the sweep to \(folder): \(error)"))
        }
    }

    private func drainRenders() {
        let arrived = pipeline.inbox.take()
        if let frame = arrived.liveFrame {
            liveImage = frame.image
            liveImageIsFinal = frame.isFinal
            dispatch(.frame(AppState.RenderProgress(frame)))
            needsPicture = true
        }
        for (index, image) in arrived.sweepFrames {
            sweepImages[index] = image
            dispatch(.sweepFrameRendered(index: index))
            needsPicture = true
        }
        if let failure = arrived.failure { dispatch(.renderFailed(failure)) }
    }

    /// Submits the current settings when they changed, unless a sweep is still rendering
    /// (a live render would take the sampler from it).
    private func submitIfNeeded() {
        guard state.renderRevision != submittedRevision else { return }
        if let strip = state.sweepStrip, strip.rendered < strip.sweep.frames { return }
        generation += 1
        pipeline.render(state.settings, generation: generation, mayResume: state.freshRenderRevision != state.renderRevision)
        submittedRevision = state.renderRevision
    }

    /// Writes the session a few seconds after the last edit: to its file when it has one, else
    /// to a recovery file that leaves the unsaved mark alone.
    private func autosaveIfDue() {
        let now = ContinuousClock.now
        if state.editCount != lastEdit.count {
            lastEdit = (state.editCount, now)
            return
        }
        // Not while quit asks whether to save: "quit without saving" must leave the file as it is.
        guard state.unsaved, state.mode != .confirmQuit, now - lastEdit.time > Self.autosaveDelay else { return }
        if let path = state.sessionPath {
            var failed = false
            perform(.save(path: path), saveFailed: &failed)
        } else {
            _ = keepInRecovery()  // a failure is told when it matters: on the way out
        }
        lastEdit.time = now
    }

    /// The session as saved: the state plus the embeddings of the faces it names.
    private func sessionFile() -> SessionFile {
        var file = state.sessionFile
        file.recordFaces(from: faceStore)
        return file
    }

    /// Keeps unsaved work in the recovery file on the way out, and tells the shell where: the
    /// edits of a session without a file, or of one whose save just failed (Ctrl-C quits even then).
    private func keepUnnamedWork(afterFailedSave: Bool) {
        guard state.unsaved, state.sessionPath == nil || afterFailedSave else { return }
        switch keepInRecovery() {
        case .noHome:
            farewell = .editsLost("the unsaved settings are lost: set HOME or XDG_STATE_HOME to have them kept on the way out")
        case .kept(let recovery):
            farewell = .said("unsaved settings kept in \(recovery.path) (open it with --session)")
        case .failed(let recovery, let error):
            farewell = .editsLost("could not keep the unsaved settings in \(recovery.path): \(error)")
        }
    }

    /// Writes the edits a save could not to the recovery file, and says where they are safe: a
    /// place is named only once the edits are written there.
    private func keptElsewhere() -> String {
        switch keepInRecovery() {
        case .noHome:
            return "S saves it as another file"
        case .kept(let recovery):
            return "kept in \(recovery.path) (Ctrl-C quits keeping them there; S saves as another file)"
        case .failed(let recovery, let error):
            return "S saves it as another file (nor could the edits be kept in \(recovery.path): \(error))"
        }
    }

    /// Where an attempt to keep the session in the recovery file left it.
    private enum RecoveryOutcome {
        case noHome
        case kept(URL)
        case failed(URL, any Error)
    }

    /// Writes the session to the recovery file, the one writer of it.
    private func keepInRecovery() -> RecoveryOutcome {
        guard let recovery = recoveryURL else { return .noHome }
        do {
            try FolderMaker.make(recovery.deletingLastPathComponent())
            try sessionFile().save(to: recovery)
            return .kept(recovery)
        } catch {
            return .failed(recovery, error)
        }
    }

    /// Where sessions without a file are autosaved: $XDG_STATE_HOME/posestudio/autosave.json,
    /// read from the environment once (every dispatch asks for it).
    private let recoveryURL: URL? = {
        let environment = ProcessInfo.processInfo.environment
        let stateHome = environment["XDG_STATE_HOME"] ?? environment["HOME"].map { $0 + "/.local/state" }
        return stateHome.map { URL(fileURLWithPath: $0).appendingPathComponent("posestudio/autosave.json") }
    }()

    private func stepPlayback() {
        guard let strip = state.sweepStrip, strip.playing, ContinuousClock.now - lastPlaybackStep > Self.playbackInterval else { return }
        lastPlaybackStep = ContinuousClock.now
        dispatch(.sweepStep(delta: 1))
        needsPicture = true
    }

    private func draw() {
        let picture: (image: SynthImage, final: Bool)?
        if let strip = state.sweepStrip {
            picture = sweepImages[strip.index].map { ($0, true) }
        } else {
            picture = liveImage.map { ($0, liveImageIsFinal) }
        }
        let wrote = view.draw(state, picture: needsPicture ? picture : nil)
        drawnPanelRows = wrote.panelRows
        if wrote.pictureDrawn { needsPicture = false }
        if let failure = wrote.failure { dispatch(.pictureFailed(failure)) }
    }
}
