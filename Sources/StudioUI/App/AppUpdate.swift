import Foundation
import PoseEngine

/// The studio's whole behaviour as a pure function: the next state from the current one
/// and an action. The UI loop feeds it keys and renderer reports and carries out the
/// effects it asks for.
public enum AppUpdate {
    public static func update(_ state: AppState, _ action: Action) -> AppState {
        var s = state
        s.effects = []
        switch s.mode {
        case .help: return helpUpdate(s, action)
        case .entry(let entry): return entryUpdate(s, entry, action)
        case .confirmQuit: return confirmUpdate(s, action)
        case .normal: return normalUpdate(s, action)
        }
    }

    private static func normalUpdate(_ state: AppState, _ action: Action) -> AppState {
        var s = state
        if case .adjust = action {} else { s.dragging = nil }
        switch action {
        case .select(let delta):
            let all = Control.allCases
            let index = (all.firstIndex(of: s.selected) ?? 0) + delta
            s.selected = all[min(max(index, 0), all.count - 1)]
        case .adjust(let notches, let coarse):
            let next = s.selected.adjusted(s.settings, by: notches, coarse: coarse)
            let continuing = s.dragging == s.selected
            s = edit(s, to: next, recordingUndo: !continuing)
            s.dragging = s.selected
        case .toggleGuidance:
            guard let quantity = s.selected.poseQuantity else {
                s.message = "only the pose rows (pitch, yaw, x, y, scale) have a guidance switch"
                break
            }
            var next = s.settings
            next.targets.set(quantity, active: !next.targets.isActive(quantity))
            s = edit(s, to: next)
        case .beginEntry(let purpose, let text, let suggested):
            s.mode = .entry(suggested ? .suggesting(text, for: purpose) : AppState.Entry(purpose: purpose, text: text))
        case .newSeed(let seed):
            var next = s.settings
            next.seed = seed
            s = edit(s, to: next)
        case .setPosition(let x, let y):
            let moved = Control.x.setting(x, in: s.settings)
            s = edit(s, to: Control.y.setting(y, in: moved))
        case .rerender:
            s.renderRevision += 1
            s.freshRenderRevision = s.renderRevision
        case .undo:
            guard let previous = s.undo.popLast() else { s.message = "nothing to undo"; break }
            s.redo.append(s.settings)
            s = replaceSettings(s, with: previous)
        case .redo:
            guard let next = s.redo.popLast() else { s.message = "nothing to redo"; break }
            s.undo.append(s.settings)
            s = replaceSettings(s, with: next)
        case .bookmark:
            let name = "bookmark \(s.bookmarks.count + 1)"
            s.bookmarks.append(Bookmark(name: name, settings: s.settings))
            s.markEdited()
            s.message = "\(name) saved (j recalls bookmarks in turn)"
        case .recallBookmark:
            guard !s.bookmarks.isEmpty else { s.message = "no bookmarks yet: b marks the current settings"; break }
            let index = ((s.recalledBookmark ?? -1) + 1) % s.bookmarks.count
            s.recalledBookmark = index
            s = edit(s, to: s.bookmarks[index].settings)
            s.message = "recalled \(s.bookmarks[index].name)"
        case .save:
            if let path = s.sessionPath {
                s.effects = [.save(path: path)]
            } else {
                s.mode = .entry(.suggesting("session.json", for: .saveAs(thenQuit: false)))
            }
        case .saveAs:
            s.mode = .entry(AppState.Entry(purpose: .saveAs(thenQuit: false), text: s.sessionPath ?? "session.json"))
        case .open:
            s.mode = .entry(AppState.Entry(purpose: .open, text: s.sessionPath ?? ""))
        case .toggleHelp:
            s.mode = .help
            s.helpScroll = 0
        case .quit:
            if s.unsaved {
                s.mode = .confirmQuit
            } else {
                s.effects = [.quit]
            }
        case .interrupt:
            s.effects = s.unsaved ? s.sessionPath.map { [.save(path: $0), .quit] } ?? [.quit] : [.quit]
        case .cancel:
            if s.sweepStrip != nil {
                s.sweepStrip = nil
                s.effects = [.cancelSweep]
            }
        case .sweepStep(let delta):
            guard var strip = s.sweepStrip, strip.rendered > 0 else { break }
            strip.index = ((strip.index + delta) % strip.rendered + strip.rendered) % strip.rendered
            s.sweepStrip = strip
        case .sweepPlay:
            s.sweepStrip?.playing.toggle()
        case .sweepExport:
            guard let strip = s.sweepStrip, strip.rendered == strip.sweep.frames else {
                s.message = "the sweep is still rendering: export once every frame is there"
                break
            }
            s.effects = [.exportSweep(strip.sweep)]
        default:
            s = reportUpdate(s, action)
        }
        return s
    }

    /// What the renderer and the file system report: handled in every mode.
    private static func reportUpdate(_ state: AppState, _ action: Action) -> AppState {
        var s = state
        switch action {
        case .frame(let progress):
            s.progress = progress
            s.renderFailure = nil
        case .renderFailed(let message):
            s.renderFailure = message
        case .fileFailed(let message), .pictureFailed(let message):
            s.message = message
        case .faceChosen(let control, let face):
            var next = s.settings
            if control == .faceA { next.face = face } else { next.faceB = face }
            s = edit(s, to: next)
        case .saved(let path):
            s.sessionPath = path
            s.unsaved = false
            s.message = "saved \(path)"
        case .opened(let path, let session):
            s = AppState(session: session, path: path, keeping: s)
            s.message = "opened \(path)"
        case .sweepFrameRendered(let index):
            guard var strip = s.sweepStrip else { break }
            s.renderFailure = nil
            strip.rendered = max(strip.rendered, index + 1)
            strip.index = index
            s.sweepStrip = strip
        case .sweepExported(let folder):
            s.message = "exported the sweep's frames and contact sheet to \(folder)"
        default:
            break
        }
        return s
    }

    private static func helpUpdate(_ state: AppState, _ action: Action) -> AppState {
        var s = state
        switch action {
        case .toggleHelp, .cancel, .quit: s.mode = .normal
        case .scrollHelp(let line): s.helpScroll = max(line, 0)
        case .interrupt: s = normalUpdate(s, action)
        default: s = reportUpdate(s, action)
        }
        return s
    }

    private static func confirmUpdate(_ state: AppState, _ action: Action) -> AppState {
        var s = state
        switch action {
        case .confirmQuit(save: true):
            s.mode = .normal
            if let path = s.sessionPath {
                s.effects = [.save(path: path), .quitIfSaved]
            } else {
                s.mode = .entry(.suggesting("session.json", for: .saveAs(thenQuit: true)))
                s.message = "name the session file; the studio quits once it is saved"
            }
        case .confirmQuit(save: false):
            s.effects = [.quit]
        case .cancel:
            s.mode = .normal
        case .interrupt:
            s = normalUpdate(s, action)
        default:
            s = reportUpdate(s, action)
        }
        return s
    }

    private static func entryUpdate(_ state: AppState, _ entry: AppState.Entry, _ action: Action) -> AppState {
        var s = state
        var e = entry
        switch action {
        case .type(let character):
            e.text = e.suggested ? String(character) : e.text + String(character)
            (e.hint, e.suggested) = (nil, false)
            s.mode = .entry(e)
        case .backspace:
            if !e.text.isEmpty { e.text.removeLast() }
            (e.hint, e.suggested) = (nil, false)
            s.mode = .entry(e)
        case .clearEntry:
            (e.text, e.hint) = ("", nil)
            s.mode = .entry(e)
        case .deleteWord:
            // As a shell's Ctrl-W: the spaces before the cursor, then the word before them.
            while e.text.last == " " { e.text.removeLast() }
            while let last = e.text.last, last != " " { e.text.removeLast() }
            (e.hint, e.suggested) = (nil, false)
            s.mode = .entry(e)
        case .cancel:
            s.mode = .normal
        case .commitEntry:
            s.mode = .normal
            s = commit(s, e)
        case .completeEntry:
            if e.purpose.takesPaths {
                s.effects = [.completePath(text: e.text, commaSeparated: e.purpose.takesSeveralPaths)]
            }
        case .entryCompleted(let completion):
            e.text = completion.text
            (e.hint, e.suggested) = (completion.message, false)
            s.mode = .entry(e)
        case .interrupt:
            s.mode = .normal
            s = normalUpdate(s, action)
        default:
            s = reportUpdate(s, action)
        }
        return s
    }

    /// A range end as typed: 90, 0.05, not 90.0.
    private static func plain(_ value: Float) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    private static func commit(_ state: AppState, _ entry: AppState.Entry) -> AppState {
        var s = state
        let text = entry.text.trimmingCharacters(in: .whitespaces)
        switch entry.purpose {
        case .number(let control):
            guard let value = Float(text), value.isFinite else {
                s.message = "\"\(text)\" is not a number for \(control.label)"
                break
            }
            if control == .seed {
                guard let seed = UInt64(text) else {
                    s.message = "a seed is a whole number from 0 to \(UInt64.max) (got \"\(text)\")"
                    break
                }
                var next = s.settings
                next.seed = seed
                s = edit(s, to: next)
            } else {
                s = edit(s, to: control.setting(value, in: s.settings))
                if case .number(let range, _, _, _) = control.kind, !range.contains(value) {
                    // Typed past the slider's end: say where it stopped rather than take it silently.
                    s.message = "\(control.label) goes from \(Self.plain(range.lowerBound)) to \(Self.plain(range.upperBound)): "
                        + "set to \(control.formatted(s.settings))"
                }
            }
        case .prompt:
            var next = s.settings
            next.prompt = entry.text
            s = edit(s, to: next)
        case .face(let control):
            let face = FaceEntry.parse(text)
            if control == .faceA ? face.isNone && !s.settings.faceB.isNone : !face.isNone && s.settings.face.isNone {
                s.message = "face B needs a face A: set face A first"
                break
            }
            s.effects = [.chooseFace(control, face)]
        case .saveAs(let thenQuit):
            guard !text.isEmpty else { s.message = "no file name given: nothing saved"; break }
            s.effects = [.save(path: NSString(string: text).expandingTildeInPath)] + (thenQuit ? [.quitIfSaved] : [])
        case .open:
            guard !text.isEmpty else { s.message = "no file name given"; break }
            s.effects = [.open(path: NSString(string: text).expandingTildeInPath)]
        case .sweep:
            switch SweepEntry.parse(text) {
            case .success(let sweep):
                s.sweeps.append(SessionSweep(sweep, base: s.settings))
                s.sweepStrip = AppState.SweepStrip(sweep: sweep)
                s.markEdited()
                if let alike = sweep.alikeFrames(from: s.settings) { s.message = alike }
                s.effects = [.runSweep(sweep)]
            case .failure(let problem):
                s.message = problem.description
            }
        }
        return s
    }

    /// A settings change the user made: recorded for undo, marked unsaved, rendered.
    private static func edit(_ state: AppState, to settings: StudioSettings, recordingUndo: Bool = true) -> AppState {
        guard settings != state.settings else { return state }
        var s = state
        if recordingUndo {
            s.undo.append(s.settings)
            if s.undo.count > AppState.historyLimit { s.undo.removeFirst(s.undo.count - AppState.historyLimit) }
        }
        s.redo = []
        return replaceSettings(s, with: settings)
    }

    private static func replaceSettings(_ state: AppState, with settings: StudioSettings) -> AppState {
        var s = state
        s.settings = settings
        s.markEdited()
        s.renderRevision += 1
        s.message = nil
        return s
    }
}

extension AppState {
    /// Something the session saves changed: unsaved, and the autosave clock restarts.
    mutating func markEdited() {
        unsaved = true
        editCount += 1
    }

    /// The state a session file describes.
    init(session: SessionFile, path: String) {
        self.init(settings: session.settings, sessionPath: path)
        (bookmarks, sweeps, undo, redo) = (session.bookmarks, session.sweeps, session.undo, session.redo)
    }

    /// The state a session file describes, keeping what belongs to this run (render count, progress).
    init(session: SessionFile, path: String, keeping current: AppState) {
        self.init(session: session, path: path)
        selected = current.selected
        renderRevision = current.renderRevision + 1
        editCount = current.editCount + 1
    }

    /// The session file this state saves as.
    public var sessionFile: SessionFile {
        SessionFile(settings: settings, bookmarks: bookmarks, sweeps: sweeps, undo: undo, redo: redo)
    }
}
