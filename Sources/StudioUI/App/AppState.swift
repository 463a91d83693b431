import PoseEngine

/// Everything the studio shows and remembers, apart from pixels. A value: `AppUpdate.update`
/// makes the next one from an action, and the UI loop carries out `effects`.
public struct AppState: Sendable, Equatable {
    public var settings: StudioSettings
    public var selected: Control = .yaw
    public var mode: Mode = .normal
    /// How far down the help box's list is scrolled.
    public var helpScroll = 0
    /// Earlier settings, most recent last; redo holds what undo stepped back from.
    public var undo: [StudioSettings] = []
    public var redo: [StudioSettings] = []
    public var bookmarks: [Bookmark] = []
    /// Index of the bookmark recalled last, so repeated recalls walk through them.
    public var recalledBookmark: Int?
    public var sweeps: [SessionSweep] = []
    public var sweepStrip: SweepStrip?
    public var sessionPath: String?
    public var unsaved = false
    /// Counts edits, so the UI loop can autosave after a quiet spell.
    public var editCount = 0
    /// A line for the user about the last thing that happened (saved, failed, ...).
    public var message: String?
    /// Why the settings give no picture (a face file gone, ...): kept until a render succeeds,
    /// so that a later notice such as an autosave's cannot hide it.
    public var renderFailure: String?
    /// Bumped whenever a new render is wanted; the UI loop submits when it changes.
    public var renderRevision = 0
    /// The revision "render again" asked for: that render starts from noise, never resuming.
    public var freshRenderRevision: Int?
    public var progress: RenderProgress?
    /// Work for the UI loop, in order; it clears the list once done.
    public var effects: [Effect] = []
    /// The control the last adjustment moved: further moves of it extend one undo step.
    var dragging: Control?

    /// How many settings undo keeps.
    public static let historyLimit = 200

    public init(settings: StudioSettings = StudioSettings(), sessionPath: String? = nil) {
        self.settings = settings
        self.sessionPath = sessionPath
    }

    public enum Mode: Sendable, Equatable {
        case normal
        case help
        /// Typing into the prompt line.
        case entry(Entry)
        /// Quit was asked for with unsaved changes.
        case confirmQuit
    }

    public struct Entry: Sendable, Equatable {
        public var purpose: EntryPurpose
        public var text: String
        /// What the last Tab found (the matching names, or that none match), shown after the
        /// cursor until the next key.
        public var hint: String? = nil
        /// The text is a suggestion (a sweep to start from, a file name, the row's value): the
        /// first character typed replaces it, while Backspace, Ctrl-W and Tab edit it.
        public var suggested = false

        /// An entry offering `text` as a suggestion, and saying so until the first key (an empty
        /// one is just an empty line).
        static func suggesting(_ text: String, for purpose: EntryPurpose) -> Entry {
            Entry(purpose: purpose, text: text, hint: text.isEmpty ? nil : "typing replaces it; Backspace edits it",
                  suggested: !text.isEmpty)
        }
    }

    public enum EntryPurpose: Sendable, Equatable {
        case number(Control)
        case prompt
        case face(Control)
        /// Naming a session file to save; `thenQuit` when quitting waits for it.
        case saveAs(thenQuit: Bool)
        case open
        case sweep

        /// The line holds a file path, which Tab completes.
        public var takesPaths: Bool {
            switch self {
            case .face, .saveAs, .open: return true
            case .number, .prompt, .sweep: return false
            }
        }

        /// The line holds several paths, comma-separated (pictures of one face).
        public var takesSeveralPaths: Bool {
            if case .face = self { return true }
            return false
        }
    }

    /// What the latest render reported.
    public struct RenderProgress: Sendable, Equatable {
        public var phase: Frame.Phase
        public var step: Int
        public var totalSteps: Int
        public var msPerStep: Double
        public var estimate: PoseValues
        public var isFinal: Bool

        public init(_ frame: Frame) {
            (phase, step, totalSteps, msPerStep) = (frame.phase, frame.step, frame.totalSteps, frame.msPerStep)
            (estimate, isFinal) = (frame.headEstimate, frame.isFinal)
        }

        public init(phase: Frame.Phase, step: Int, totalSteps: Int, msPerStep: Double, estimate: PoseValues, isFinal: Bool) {
            (self.phase, self.step, self.totalSteps, self.msPerStep) = (phase, step, totalSteps, msPerStep)
            (self.estimate, self.isFinal) = (estimate, isFinal)
        }
    }

    /// A sweep's frames as they arrive; the image pane shows frame `index` while it is open.
    public struct SweepStrip: Sendable, Equatable {
        public var sweep: Sweep
        public var rendered = 0
        public var index = 0
        public var playing = false

        public init(sweep: Sweep) { self.sweep = sweep }
    }

    public enum Effect: Sendable, Equatable {
        case save(path: String)
        /// List the folder of the path being typed and complete its last name.
        case completePath(text: String, commaSeparated: Bool)
        case open(path: String)
        case runSweep(Sweep)
        case cancelSweep
        case exportSweep(Sweep)
        case quit
        /// Check that a typed face's images can be read (or were recorded), then set it.
        case chooseFace(Control, FaceSource)
        /// Quit, unless a save before it in the same list failed: the studio stays open and shows why.
        case quitIfSaved
    }
}
