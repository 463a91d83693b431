import Foundation
import ImageFiles
import PoseEngine
import Testing
@testable import StudioUI

/// The studio's behaviour without a terminal: actions in, state and effects out.
@Suite struct AppUpdateTests {
    private func run(_ actions: [Action], from state: AppState = AppState()) -> AppState {
        actions.reduce(state) { AppUpdate.update($0, $1) }
    }

    @Test func holdingAnArrowIsOneUndoStepAndUndoRedoWalkTheHistory() {
        var state = AppState()
        state.selected = .yaw
        let start = state.settings.targets.value(.yaw)
        state = run([.adjust(notches: 1, coarse: false), .adjust(notches: 1, coarse: false), .adjust(notches: 1, coarse: true)], from: state)
        #expect(state.settings.targets.value(.yaw) == start + 2 + 15)
        #expect(state.undo.count == 1, "one drag of the same control is one undo step")
        #expect(state.unsaved)

        state = run([.select(delta: -1), .adjust(notches: -3, coarse: false)], from: state)
        #expect(state.undo.count == 2)
        state = run([.undo], from: state)
        #expect(state.settings.targets.value(.pitch) == AppState().settings.targets.value(.pitch))
        state = run([.undo], from: state)
        #expect(state.settings.targets.value(.yaw) == start)
        #expect(run([.undo], from: state).message == "nothing to undo")
        state = run([.redo, .redo], from: state)
        #expect(state.settings.targets.value(.yaw) == start + 17)
        #expect(state.settings.targets.value(.pitch) == AppState().settings.targets.value(.pitch) - 3)
    }

    @Test func aRenderFailureOutlastsLaterNoticesUntilARenderSucceeds() {
        let failure = "cannot use face image faces/a.png: no image file at faces/a.png: check the path"
        var state = run([.renderFailed(failure), .adjust(notches: 1, coarse: false), .saved(path: "s.json")])
        #expect(state.renderFailure == failure && state.message == "saved s.json", "the autosave's notice does not replace it")
        state = run([.frame(AppState.RenderProgress(phase: .refine, step: 1, totalSteps: 2, msPerStep: 5,
                                                    estimate: PoseValues(pitch: 0, yaw: 0, x: 0, y: 0, scale: 0.5), isFinal: false))],
                    from: state)
        #expect(state.renderFailure == nil)
    }

    @Test func everyEditAsksForANewRender() {
        let before = AppState()
        let after = run([.newSeed(42)], from: before)
        #expect(after.settings.seed == 42 && after.renderRevision == before.renderRevision + 1)
        #expect(run([.newSeed(before.settings.seed)], from: before).renderRevision == before.renderRevision,
                "a change to the same value is no edit")
    }

    @Test func renderAgainAsksForAFreshRenderAndTheNextEditDoesNot() {
        let again = run([.rerender])
        #expect(again.renderRevision == 1 && again.freshRenderRevision == again.renderRevision)
        let nudged = run([.adjust(notches: 1, coarse: false)], from: again)
        #expect(nudged.renderRevision == 2 && nudged.freshRenderRevision != nudged.renderRevision)
    }

    @Test func quittingWithUnsavedChangesAsksFirst() {
        let edited = run([.newSeed(5)], from: AppState(sessionPath: "/tmp/s.json"))
        let asked = run([.quit], from: edited)
        #expect(asked.mode == .confirmQuit && asked.effects.isEmpty)
        #expect(run([.quit, .cancel], from: edited).mode == .normal)
        #expect(run([.quit, .confirmQuit(save: true)], from: edited).effects == [.save(path: "/tmp/s.json"), .quitIfSaved])
        let named = run([.newSeed(5), .quit, .confirmQuit(save: true)])
        #expect(named.mode == .entry(.suggesting("session.json", for: .saveAs(thenQuit: true))))
        #expect(run([.commitEntry], from: named).effects.last == .quitIfSaved, "quits only once the file is saved")
        #expect(run([.quit, .confirmQuit(save: false)], from: edited).effects == [.quit])
        #expect(run([.quit], from: AppState()).effects == [.quit], "nothing unsaved: quit at once")
    }

    @Test func interruptSavesToTheSessionThenQuits() {
        let edited = run([.newSeed(5)], from: AppState(sessionPath: "/tmp/s.json"))
        #expect(run([.interrupt], from: edited).effects == [.save(path: "/tmp/s.json"), .quit])
        let typing = run([.beginEntry(.prompt, text: "a sk")], from: edited)
        #expect(run([.interrupt], from: typing).effects == [.save(path: "/tmp/s.json"), .quit], "even from the prompt line")
    }

    /// S saves under another name, starting from the session's own, and the session follows it.
    @Test func saveAsStartsFromTheSessionsPath() {
        let asking = run([.newSeed(5), .saveAs], from: AppState(sessionPath: "/tmp/s.json"))
        guard case .entry(let entry) = asking.mode else { Issue.record("S opened no prompt"); return }
        #expect(entry.text == "/tmp/s.json")
        let saved = run([.type("2"), .commitEntry], from: asking)
        #expect(saved.effects == [.save(path: "/tmp/s.json2")])
        #expect(run([.saved(path: "/tmp/s.json2")], from: saved).sessionPath == "/tmp/s.json2")
    }

    @Test func typedNumbersAreCheckedBeforeTheyApply() {
        let typed = run([.beginEntry(.number(.yaw), text: "4"), .type("5"), .commitEntry])
        #expect(typed.settings.targets.value(.yaw) == 45)
        let rejected = run([.beginEntry(.number(.yaw), text: "4"), .type("x"), .commitEntry])
        #expect(rejected.settings == AppState().settings)
        #expect(rejected.message?.contains("not a number") == true)
    }

    /// The lookahead row moves the timestep guidance reads ahead to, in steps of 25 (100 with
    /// Shift), down to 0 (off) and no further than the schedule's last timestep.
    @Test func theLookaheadRowSetsTheTimestepGuidanceReadsAheadTo() {
        var state = AppState()
        state.selected = .lookahead
        #expect(Control.lookahead.formatted(state.settings) == "150")
        state = run([.adjust(notches: -2, coarse: false)], from: state)
        #expect(state.settings.guidanceLookahead == 100)
        state = run([.adjust(notches: -2, coarse: true)], from: state)
        #expect(state.settings.guidanceLookahead == 0, "off, not negative")
        state = run([.beginEntry(.number(.lookahead), text: "2000"), .commitEntry], from: state)
        #expect(state.settings.guidanceLookahead == 999)
    }

    /// The limit row's entry offers the number, "none" being only how no bound is shown; a
    /// positive bound typed never rounds to none; a session without a bound is left as it was.
    @Test func theLimitRowTypesNumbersAndLeavesAnUnboundedSessionAlone() {
        var state = AppState()
        state.selected = .pushLimit
        state.settings.guidancePushLimit = 0
        let keys = { (key: KeyEvent, state: AppState) in KeyBindings.action(for: key, in: state, randomSeed: { 0 }) }
        let offered = keys(.enter, state)
        #expect(offered == .beginEntry(.number(.pushLimit), text: "0.00", suggested: true))
        state = run([offered, .commitEntry].compactMap { $0 }, from: state)
        #expect(state.settings.guidancePushLimit == 0 && state.message == nil, "Enter twice keeps the value")
        state = run([.beginEntry(.number(.pushLimit), text: "0.004"), .commitEntry], from: state)
        #expect(state.settings.guidancePushLimit == Control.smallestPushLimit)
        var old = AppState()
        (old.settings.guidancePushLimit, old.selected) = (nil, .pushLimit)
        let pressed = run([.adjust(notches: -1, coarse: false)], from: old)
        #expect(pressed.settings == old.settings && !pressed.unsaved, "nothing to lower")
        #expect(SweepEntry.suggestion(for: .pushLimit, settings: old.settings).hasPrefix("guidance-push-limit "))
        var seeded = AppState()
        (seeded.settings.seed, seeded.selected) = (4_294_967_295, .seed)
        #expect(keys(.enter, seeded) == .beginEntry(.number(.seed), text: "4294967295", suggested: true), "every digit of a seed")
    }

    /// Turned on in a session from before reading ahead, the row reads ahead as new settings do;
    /// turned off, several readings go back to one, which needs no lookahead.
    @Test func theLookaheadRowKeepsTheSettingsUsable() {
        var old = StudioSettings()
        (old.guidanceLookahead, old.guidanceLookaheadTargets, old.guidanceLookaheadGain, old.guidancePushLimit) = (0, nil, nil, nil)
        var state = AppState()
        (state.settings, state.selected) = (old, .lookahead)
        state = run([.adjust(notches: 6, coarse: false)], from: state)
        #expect(state.settings.guidanceLookahead == 150)
        #expect(state.settings.guidanceLookaheadTargets == [.pitch, .yaw] && state.settings.guidanceLookaheadGain == 10)
        #expect(state.settings.guidancePushLimit == StudioSettings().guidancePushLimit, "ten times the weight comes bounded")
        state.settings.guidanceSamples = 3
        state = run([.adjust(notches: -2, coarse: true)], from: state)
        #expect(state.settings.guidanceLookahead == 0 && state.settings.guidanceSamples == 1 && state.settings.problems().isEmpty)
    }

    /// Ctrl-U empties a prompt line (a sweep's suggestion, say) and Ctrl-W takes its last word,
    /// as in a shell; the keys mean nothing outside one.
    @Test func ctrlUAndCtrlWEditThePromptLine() {
        func text(_ state: AppState) -> String? {
            if case .entry(let entry) = state.mode { return entry.text }
            return nil
        }
        let suggested = run([.beginEntry(.sweep, text: "yaw -60 60 7")])
        #expect(text(run([.deleteWord], from: suggested)) == "yaw -60 60 ")
        #expect(text(run([.deleteWord, .deleteWord], from: suggested)) == "yaw -60 ")
        let typed = run([.clearEntry, .type("x")], from: suggested)
        #expect(text(typed) == "x")
        #expect(text(run([.deleteWord, .deleteWord], from: typed)) == "")
        let spaced = run([.beginEntry(.prompt, text: "a sketch of  ")])
        #expect(text(run([.deleteWord], from: spaced)) == "a sketch ")
        let keys = { (key: KeyEvent, state: AppState) in KeyBindings.action(for: key, in: state, randomSeed: { 0 }) }
        #expect(keys(.control("u"), suggested) == .clearEntry && keys(.control("w"), suggested) == .deleteWord)
        #expect(keys(.control("u"), AppState()) == nil)
    }

    @Test func aTypedFacePathIsKeptAbsoluteAndOneThatIsNoPictureIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("face-entry-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("faces"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = folder.appendingPathComponent("faces/a.png")
        try Data([1]).write(to: image)
        #expect(FaceEntry.parse("faces/a.png, ./faces/b.png", relativeTo: folder)
                == .images(paths: [image.path, folder.appendingPathComponent("faces/b.png").path]))
        #expect(FaceEntry.parse(image.path, relativeTo: URL(fileURLWithPath: "/elsewhere")) == .images(paths: [image.path]))

        // The UI loop checks the files (it knows the session's recorded faces), then sets the face.
        let typed = run([.beginEntry(.face(.faceA), text: image.path), .commitEntry])
        #expect(typed.effects == [.chooseFace(.faceA, .images(paths: [image.path]))] && typed.settings.face.isNone)
        let set = run([.faceChosen(.faceA, .images(paths: [image.path]))])
        #expect(set.settings.face == .images(paths: [image.path]) && set.unsaved && set.renderRevision == 1)

        // It refuses what it could not read as a picture, the way the sampler reads faces.
        let load: FaceImageLoader = { path in
            let image = try RGBImage.load(from: path)
            return SynthImage(width: image.width, height: image.height, pixels: image.pixels)
        }
        let picture = folder.appendingPathComponent("faces/b.png")
        try RGBImage(width: 2, height: 2, pixels: Array(repeating: 200, count: 12)).writePNG(to: picture.path)
        let missing = folder.appendingPathComponent("faces/gone.png").path
        let store = FaceEmbeddingStore()
        #expect(FaceEntry.unusableImage(in: .images(paths: [picture.path]), store: store, load: load) == nil)
        #expect(FaceEntry.unusableImage(in: .images(paths: [picture.path, missing]), store: store, load: load)
                == "no image file at \(missing): check the path")
        #expect(FaceEntry.unusableImage(in: .images(paths: [folder.path]), store: store, load: load)
                == "\(folder.path) is a folder: name an image file in it")
        #expect(FaceEntry.unusableImage(in: .images(paths: [image.path]), store: store, load: load)?
                    .hasPrefix("cannot read \(image.path) as an image") == true, "a file that is no picture")
        store.record([1, 0], for: missing, encoder: "e")
        #expect(FaceEntry.unusableImage(in: .images(paths: [picture.path, missing]), store: store, load: load) == nil,
                "a session's recorded embedding stands in for a moved image")
        #expect(FaceEntry.unusableImage(in: .random(seed: 3), store: store, load: load) == nil)
    }

    @Test func aTypedValuePastTheSliderSaysWhereItStopped() {
        var state = AppState()
        state.selected = .faceMix
        state = run([.beginEntry(.number(.faceMix), text: "2"), .commitEntry], from: state)
        #expect(state.settings.faceMix == 1)
        #expect(state.message == "face mix goes from 0 to 1: set to 1.00", "\(state.message ?? "no message")")
        state = run([.beginEntry(.number(.yaw), text: "-200"), .commitEntry], from: state)
        #expect(state.settings.targets.value(.yaw) == -180 && state.message?.hasPrefix("yaw goes from -180 to 180: set to -180") == true)
        state = run([.beginEntry(.number(.yaw), text: "30"), .commitEntry], from: state)
        #expect(state.message == nil, "a value in range needs no word")
        let seed = state.settings.seed
        state = run([.beginEntry(.number(.seed), text: "99999999999999999999999"), .commitEntry], from: state)
        #expect(state.settings.seed == seed && state.message?.hasPrefix("a seed is a whole number from 0 to 18446744073709551615") == true)
    }

    @Test func aSuggestionIsReplacedByTypingAndKeptByEditing() {
        let sweep = KeyBindings.action(for: .character("w"), in: AppState(), randomSeed: { 0 })
        guard case .beginEntry(.sweep, let suggestion, true)? = sweep else {
            Issue.record("w offers a sweep to start from: \(String(describing: sweep))")
            return
        }
        let offered = run([sweep].compactMap { $0 })
        #expect(offered.mode == .entry(.suggesting(suggestion, for: .sweep)))
        let typed = run([.type("p"), .type("i")], from: offered)
        #expect(typed.mode == .entry(AppState.Entry(purpose: .sweep, text: "pi")))
        let edited = run([.backspace, .type("9")], from: offered)
        #expect(edited.mode == .entry(AppState.Entry(purpose: .sweep, text: String(suggestion.dropLast()) + "9")))
        // The current face is offered the same way; no face offers an empty line.
        var withFace = AppState()
        withFace.settings.face = .random(seed: 12)
        let face = run([KeyBindings.action(for: .character("f"), in: withFace, randomSeed: { 0 })].compactMap { $0 }, from: withFace)
        #expect(run([.type("4")], from: face).mode == .entry(AppState.Entry(purpose: .face(.faceA), text: "4")))
        #expect(run([KeyBindings.action(for: .character("f"), in: AppState(), randomSeed: { 0 })].compactMap { $0 }).mode
                == .entry(AppState.Entry(purpose: .face(.faceA), text: "")))
        // A number begun by typing a digit is no suggestion: the next digits follow it.
        let digits = run([.beginEntry(.number(.yaw), text: "4"), .type("5")])
        #expect(digits.mode == .entry(AppState.Entry(purpose: .number(.yaw), text: "45")))
    }

    @Test func faceBWithoutFaceAIsRefused() {
        let state = run([.beginEntry(.face(.faceB), text: "seed 3"), .commitEntry])
        #expect(state.settings.faceB.isNone)
        #expect(state.message?.contains("face A") == true)
    }

    @Test func bookmarksAreRecalledInTurn() {
        var state = run([.newSeed(1), .bookmark, .newSeed(2), .bookmark, .newSeed(3)])
        #expect(state.bookmarks.map(\.settings.seed) == [1, 2])
        state = run([.recallBookmark], from: state)
        #expect(state.settings.seed == 1)
        state = run([.recallBookmark], from: state)
        #expect(state.settings.seed == 2)
        #expect(run([.recallBookmark], from: state).settings.seed == 1)
    }

    /// Every row offers a sweep that parses and whose every frame is valid settings, on new
    /// settings and on unusual ones; a row that names a sweepable setting sweeps that setting.
    @Test func sweepSuggestionsSweepTheirOwnRow() throws {
        let rows: [Control: SweepParameter] = [
            .pitch: .pitch, .yaw: .yaw, .x: .x, .y: .y, .scale: .scale, .faceMix: .faceMix, .cfgScale: .cfg,
            .cfgEarly: .cfgEarly, .cfgCombined: .cfgCombined, .cfgFace: .cfgFace, .guidance: .guidance,
            .pushLimit: .guidancePushLimit,
        ]
        var variants = [StudioSettings()]
        for (cfg, guidance) in [(Float(0.5), Float(0)), (1, 333.3), (50, 700), (1.2, 1000)] {
            var s = StudioSettings()
            (s.cfg.scale, s.guidance) = (cfg, guidance)
            variants.append(s)
        }
        var everyStep = StudioSettings()
        (everyStep.cfgFrom, everyStep.cfgEarlyScale) = (StudioSettings.cfgFromEveryStep, 1)
        variants.append(everyStep)
        for settings in variants {
            for row in Control.allCases {
                let offered = SweepEntry.suggestion(for: row, settings: settings)
                let sweep = try SweepEntry.parse(offered).get()
                #expect(sweep.settings(from: settings).allSatisfy { $0.problems().isEmpty }, "\(row): \(offered)")
                if settings.cfg.scale > 1, let parameter = rows[row] {
                    #expect(sweep.parameter == parameter, "\(row): \(offered)")
                }
            }
        }
        // Guidance: from off through the current weight (the middle frame) to twice it.
        for (weight, top) in [(Float(90), Float(180)), (333.3, 666.6), (700, 1000), (0, 180)] {
            var s = StudioSettings()
            s.guidance = weight
            let sweep = try SweepEntry.parse(SweepEntry.suggestion(for: .guidance, settings: s)).get()
            #expect(sweep.values.first == 0 && sweep.values.last == top, "at \(weight): \(sweep.values)")
            if weight > 0, 2 * weight <= StudioSettings.maximumGuidance { #expect(sweep.values[2] == weight) }
        }
        // CFG early: up to the scale that caps it, or the CFG scale itself when that leaves nothing.
        var s = StudioSettings()
        s.cfg.scale = 4
        #expect(SweepEntry.suggestion(for: .cfgEarly, settings: s) == "cfg-early 1 4 5")
        s.cfg.scale = 1
        #expect(SweepEntry.suggestion(for: .cfgEarly, settings: s) == "cfg 1 10 5")
        // On a session that ran CFG in full on every step, the sweep's frames are what the row sets
        // (at values the row's one decimal keeps).
        let early = try SweepEntry.parse("cfg-early 1 7 3").get()
        #expect(early.settings(from: everyStep) == early.values.map { Control.cfgEarly.setting($0, in: everyStep) })
    }

    /// A sweep whose frames will be one picture says so as it starts, and still runs.
    @Test func aSweepOfFramesAlikeSaysSo() {
        var state = AppState()
        #expect(state.settings.targets.active.isEmpty)
        let idle = run([.beginEntry(.sweep, text: "guidance 0 180 3"), .commitEntry], from: state)
        #expect(idle.message?.contains("no pose target is on") == true && idle.effects.count == 1)
        state.settings.targets.steer(.yaw, to: 30)
        #expect(run([.beginEntry(.sweep, text: "guidance 0 180 3"), .commitEntry], from: state).message == nil)
    }

    @Test func aSweepOpensAStripThatStepsOnlyThroughRenderedFrames() {
        var state = run([.beginEntry(.sweep, text: "yaw -60 60 5"), .commitEntry])
        #expect(state.sweepStrip?.sweep.frames == 5)
        #expect(state.effects.count == 1)
        #expect(state.sweeps.count == 1)
        state = run([.sweepFrameRendered(index: 0), .sweepFrameRendered(index: 1), .sweepStep(delta: 1)], from: state)
        #expect(state.sweepStrip?.index == 0, "two frames rendered: stepping wraps within them")
        #expect(run([.sweepExport], from: state).effects.isEmpty, "no export before every frame is there")
        state = run([.cancel], from: state)
        #expect(state.sweepStrip == nil && state.effects == [.cancelSweep])
    }
}
