import PoseEngine

/// Everything that can happen to the studio: keys, mouse clicks and what the renderer
/// and the file system report back.
public enum Action: Sendable, Equatable {
    case select(delta: Int)
    case adjust(notches: Int, coarse: Bool)
    /// Switches the selected pose target's guidance on or off.
    case toggleGuidance
    /// Opens the prompt line; `text` starts it off (the first digit typed, say), or is offered as a
    /// suggestion the first character typed replaces.
    case beginEntry(AppState.EntryPurpose, text: String, suggested: Bool = false)
    case type(Character)
    case backspace
    /// Ctrl-U in a prompt line: empties it (a suggestion to replace, say).
    case clearEntry
    /// Ctrl-W in a prompt line: deletes its last word, with any spaces after it.
    case deleteWord
    case commitEntry
    /// Tab in a prompt line that takes a file path.
    case completeEntry
    /// The file system's answer to `completeEntry`.
    case entryCompleted(PathCompletion)
    /// Escape: closes the prompt line, the help, a question or the sweep strip.
    case cancel
    case newSeed(UInt64)
    case rerender
    case undo
    case redo
    case bookmark
    case recallBookmark
    case save
    /// Save under a name the user types, starting from the session's own.
    case saveAs
    case open
    case toggleHelp
    /// Scroll the help box's list to this line (the UI loop clamps it to the screen).
    case scrollHelp(to: Int)
    case quit
    /// The answer to "quit with unsaved changes?".
    case confirmQuit(save: Bool)
    /// Ctrl-C or a termination signal: save what there is and leave.
    case interrupt
    /// A click on the image: the head's target position as fractions from the centre.
    case setPosition(x: Float, y: Float)
    case frame(AppState.RenderProgress)
    case renderFailed(String)
    /// The picture could not be drawn (the render itself succeeded).
    case pictureFailed(String)
    case saved(path: String)
    case opened(path: String, session: SessionFile)
    case fileFailed(String)
    /// The UI loop found the typed face usable (its images are there, or recorded): set it.
    case faceChosen(Control, FaceSource)
    case sweepFrameRendered(index: Int)
    case sweepStep(delta: Int)
    case sweepPlay
    case sweepExport
    case sweepExported(folder: String)
}
