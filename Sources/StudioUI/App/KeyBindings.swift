/// Which action each key means in each mode, and the list the help overlay shows.
public enum KeyBindings {
    /// Every key of the studio with what it does, in the order the help overlay lists them.
    public static let help: [(keys: String, meaning: String)] = [
        ("↑ ↓", "select a control"),
        ("← → / h l", "adjust the selected control"),
        ("Shift-← → / H L", "adjust in coarse steps"),
        ("0-9 - .", "type a value for the selected control (Enter sets it)"),
        ("Enter / g", "pose rows: guidance on/off; face, prompt, number rows: type a value"),
        ("p", "edit the prompt"),
        ("f / F", "face A / face B: an image path, \"seed N\" for a random face, or none"),
        ("Tab", "while typing a file path: complete the name"),
        ("Ctrl-U / Ctrl-W", "while typing: clear the line / delete the last word"),
        ("r", "new random seed"),
        ("space", "render again, from noise"),
        ("click image", "set the x/y target to the clicked point"),
        ("w", "sweep: PARAMETER FROM TO FRAMES (e.g. yaw -60 60 7)"),
        ("< > / P / e", "sweep strip: step / play / export frames and contact sheet"),
        ("b / j", "bookmark the settings / recall bookmarks in turn"),
        ("u / Ctrl-R", "undo / redo"),
        ("s / S / o", "save the session / save it as another file / open a session file"),
        ("?", "this help, under a message too long for its line (↑ ↓ scroll it on a small screen)"),
        ("Esc", "close the prompt, help, question or sweep strip"),
        ("q / Ctrl-C", "quit (asks when unsaved) / save and quit"),
    ]

    /// How many lines a key scrolls the help box by: ↑ ↓ (or k j) one.
    static func helpScrollLines(for key: KeyEvent) -> Int? {
        switch key {
        case .up, .character("k"): -1
        case .down, .character("j"): 1
        default: nil
        }
    }

    /// The action `key` stands for in `state`, or nil when it means nothing there.
    /// `randomSeed` supplies the seed for r, keeping this function free of randomness.
    public static func action(for key: KeyEvent, in state: AppState, randomSeed: () -> UInt64) -> Action? {
        if key == .control("c") { return .interrupt }
        switch state.mode {
        case .help:
            if let lines = helpScrollLines(for: key) { return .scrollHelp(to: state.helpScroll + lines) }
            return key == .character("?") || key == .escape || key == .character("q") ? .toggleHelp : nil
        case .confirmQuit:
            switch key {
            case .character("y"), .character("s"): return .confirmQuit(save: true)
            case .character("n"), .character("q"): return .confirmQuit(save: false)
            case .escape, .character("c"): return .cancel
            default: return nil
            }
        case .entry:
            switch key {
            case .character(let c): return .type(c)
            case .backspace: return .backspace
            case .control("u"): return .clearEntry
            case .control("w"): return .deleteWord
            case .enter: return .commitEntry
            case .tab: return .completeEntry
            case .escape: return .cancel
            default: return nil
            }
        case .normal:
            return normalAction(for: key, in: state, randomSeed: randomSeed)
        }
    }

    private static func normalAction(for key: KeyEvent, in state: AppState, randomSeed: () -> UInt64) -> Action? {
        let control = state.selected
        switch key {
        case .up: return .select(delta: -1)
        case .down: return .select(delta: 1)
        case .left, .character("h"): return .adjust(notches: -1, coarse: false)
        case .right, .character("l"): return .adjust(notches: 1, coarse: false)
        case .shiftLeft, .character("H"): return .adjust(notches: -1, coarse: true)
        case .shiftRight, .character("L"): return .adjust(notches: 1, coarse: true)
        case .enter: return enterAction(on: control, in: state)
        case .character("g"): return .toggleGuidance
        case .character("p"): return .beginEntry(.prompt, text: state.settings.prompt)
        case .character("f"): return .beginEntry(.face(.faceA), text: FaceEntry.text(state.settings.face), suggested: true)
        case .character("F"): return .beginEntry(.face(.faceB), text: FaceEntry.text(state.settings.faceB), suggested: true)
        case .character("r"): return .newSeed(randomSeed())
        case .character(" "): return .rerender
        case .character("w"):
            return .beginEntry(.sweep, text: SweepEntry.suggestion(for: control, settings: state.settings), suggested: true)
        case .character("<"): return .sweepStep(delta: -1)
        case .character(">"): return .sweepStep(delta: 1)
        case .character("P"): return .sweepPlay
        case .character("e"): return .sweepExport
        case .character("b"): return .bookmark
        case .character("j"): return .recallBookmark
        case .character("u"): return .undo
        case .control("r"): return .redo
        case .character("s"): return .save
        case .character("S"): return .saveAs
        case .character("o"): return .open
        case .character("?"): return .toggleHelp
        case .character("q"): return .quit
        case .escape: return .cancel
        case .character(let c) where c.isNumber || c == "-" || c == ".":
            guard case .number = control.kind else { return nil }
            return .beginEntry(.number(control), text: String(c))
        default: return nil
        }
    }

    private static func enterAction(on control: Control, in state: AppState) -> Action {
        if control.poseQuantity != nil { return .toggleGuidance }
        switch control.kind {
        case .face:
            let face = control == .faceA ? state.settings.face : state.settings.faceB
            return .beginEntry(.face(control), text: FaceEntry.text(face), suggested: true)
        case .text: return .beginEntry(.prompt, text: state.settings.prompt)
        case .choice: return .adjust(notches: 1, coarse: false)
        case .number:
            return .beginEntry(.number(control), text: control.typed(state.settings), suggested: true)
        }
    }
}
