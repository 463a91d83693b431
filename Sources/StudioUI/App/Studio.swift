import Foundation
import PoseEngine

/// The studio's entry point: loads theme and session, picks the graphics mode, then runs the
/// UI loop on this thread until the user quits.
public enum Studio {
    public enum Failure: Error, CustomStringConvertible {
        case theme(ThemeFile.Failure)
        case session(path: String, reason: String)
        case notATerminal
        /// The studio closed with edits that could be written nowhere (`reason` says why).
        case editsLost(reason: String)

        public var description: String {
            switch self {
            case .theme(let failure): return failure.description
            case .session(let path, let reason): return "cannot open session \(path): \(reason)"
            case .notATerminal: return "the studio needs a terminal: run posestudio in one (or use posestudio render for files)"
            case .editsLost(let reason): return reason
            }
        }
    }

    public static func run(_ options: StudioOptions, models: sending StudioModels,
                           faceImageLoader: @escaping FaceImageLoader) throws(Failure) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        let environment = ProcessInfo.processInfo.environment
        let automaticTheme = options.themeName == StudioOptions.automaticTheme
        let wantsGraphics = options.graphics != .blocks && environment["TMUX"] == nil
        let probe = wantsGraphics || automaticTheme ? TerminalProbe.query() : nil
        let theme: Theme
        do {
            let name = automaticTheme ? (probe?.hasLightBackground == true ? "light" : "default") : options.themeName
            theme = try ThemeFile.load(name, folders: ThemeFile.searchFolders())
        } catch {
            throw .theme(error)
        }
        let faceStore = FaceEmbeddingStore()
        var state = try startingState(sessionPath: options.sessionPath, faceStore: faceStore)
        // A session's own warning comes first; what loading assumed about the model follows it.
        if !models.notes.isEmpty { state.message = ([state.message].compactMap { $0 } + models.notes).joined(separator: "; ") }
        let graphics = GraphicsMode.choose(options.graphics, probe: probe, environment: environment)
        let signals = TerminationSignals()
        defer { signals.release() }
        let sampler = SamplerActor(models: models, faceImageLoader: faceImageLoader, faceStore: faceStore)
        let farewell = StudioLoop(state: state, theme: theme, graphics: graphics, sampler: sampler, faceStore: faceStore,
                                  faceImageLoader: faceImageLoader, signals: signals).run()
        switch farewell {
        case .none: break
        case .some(.said(let text)): FileHandle.standardError.write(Data(("posestudio: " + text + "\n").utf8))
        case .some(.editsLost(let reason)): throw .editsLost(reason: reason)
        }
    }

    /// The session in `path` when it exists; a new one written there when it does not.
    static func startingState(sessionPath path: String?, faceStore: FaceEmbeddingStore) throws(Failure) -> AppState {
        guard let path else { return AppState() }
        let url = URL(fileURLWithPath: path)
        do {
            if FileManager.default.fileExists(atPath: path) {
                let opened = try SessionFile.open(url)
                faceStore.merge(opened.session)
                var state = AppState(session: opened.session, path: path)
                if let warning = opened.ignoredKeysWarning { state.message = warning }
                return state
            }
            let state = AppState(sessionPath: path)
            try state.sessionFile.save(to: url)
            return state
        } catch {
            throw .session(path: path, reason: "\(error)")
        }
    }
}
