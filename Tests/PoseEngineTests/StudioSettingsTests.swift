import Foundation
import Testing
@testable import PoseEngine

@Suite struct StudioSettingsTests {
    @Test func nudgesMoveTowardTheMiddleAndLeaveSwitchedOffTargets() {
        let targets = GuidanceTargets(values: PoseValues(pitch: 40, yaw: -85, x: 0.45, y: -0.1, scale: 0.3),
                                      active: [.pitch, .yaw, .x, .scale])
        let moved = targets.nudged(by: PoseValues(pitch: 5, yaw: 10, x: 0.05, y: 0.05, scale: 0.05))
        let expected: [Float] = [35, -75, 0.4, -0.1, 0.35]
        #expect(zip(moved.values.array, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(moved.values)")
        #expect(moved.active == targets.active, "switched-off targets stay off and unmoved")
        var settings = StudioSettings()
        settings.targets = targets
        var nudged = settings
        nudged.targets = targets.nudged(by: GuidanceTargets.largestResumableMove)
        #expect(nudged.canResume(from: settings), "the largest resumable move resumes")
        nudged.targets = targets.nudged(by: PoseValues(array: GuidanceTargets.largestResumableMove.array.map { $0 * 1.01 }))
        #expect(!nudged.canResume(from: settings))
    }

    @Test func settingsRoundTripThroughSessionFilesAndFillMissingKeys() throws {
        var s = StudioSettings()
        s.face = .images(paths: ["a.png", "b.png"])
        s.faceB = .random(seed: 7)
        s.faceMix = 0.25
        s.sampler = .dpmpp2m
        s.targets.steer(.scale, to: 0.7)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try SessionFile(settings: s).save(to: url)
        var resolved = s
        let folder = url.deletingLastPathComponent().standardizedFileURL.path
        resolved.face = .images(paths: ["\(folder)/a.png", "\(folder)/b.png"])
        #expect(try SessionFile.open(url).session.settings == resolved, "face paths are read relative to the session's folder")
        let partial = try JSONDecoder().decode(StudioSettings.self, from: Data(#"{"steps": 7}"#.utf8))
        var expected = StudioSettings()
        expected.steps = 7
        // Missing guidance keys are older than reading ahead: half the steps, on x_t, as then.
        (expected.guidanceFraction, expected.guidanceLookahead) = (0.5, 0)
        (expected.guidanceLookaheadTargets, expected.guidanceLookaheadGain) = (nil, nil)
        expected.posePrior = nil
        // Missing CFG interval keys are older than the gentler noisy steps: full CFG on every step.
        (expected.cfgFrom, expected.cfgEarlyScale) = (1000, 1)
        #expect(partial == expected, "no weight saved: new settings' weight, with its bound")
        #expect(throws: SessionFileError.self) { try SessionFile.open(url.appendingPathExtension("missing")).session }
    }

    @Test func facePathsTravelWithTheSessionFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("faces"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var s = StudioSettings()
        s.face = .images(paths: [folder.appendingPathComponent("faces/ana.png").path, "/elsewhere/bo.png"])
        let url = folder.appendingPathComponent("pose.json")
        try SessionFile(settings: s, bookmarks: [Bookmark(name: "one", settings: s)], undo: [s]).save(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(#""faces\/ana.png""#) || text.contains(#""faces/ana.png""#), "inside the folder: written relative")
        #expect(text.contains("elsewhere"), "outside the folder: kept absolute")
        let loaded = try SessionFile.open(url).session
        #expect(loaded.settings.face == s.face && loaded.bookmarks.first?.settings.face == s.face && loaded.undo.first?.face == s.face)
    }

    @Test func wordsBecomeTargets() throws {
        let base = GuidanceTargets()
        let left = try PoseWords.apply("left", to: base)
        #expect(left.value(.yaw) == 60 && left.isActive(.yaw) && left.isActive(.pitch) && left.value(.pitch) == 0)
        let upRight = try PoseWords.apply("Up three-quarter right", to: base)
        #expect(upRight.value(.yaw) == -40 && upRight.value(.pitch) == 30)
        #expect(try PoseWords.apply("down", to: base).value(.pitch) == -30)
        #expect(try PoseWords.apply("front", to: left).value(.yaw) == 0)
        #expect(throws: PoseWordsError.unknown("sideways")) { try PoseWords.apply("sideways", to: base) }
        let random = PoseWords.randomTargets(seed: 3)
        #expect(random == PoseWords.randomTargets(seed: 3) && random.active == PoseQuantity.allCases)
    }

    @Test func onlyGuidanceChangesAllowAResume() {
        let s = StudioTestModels.settings()
        var moved = s
        moved.targets.steer(.pitch, to: 12)
        moved.guidance = 9
        #expect(s.differsOnlyInGuidance(from: moved))
        for change in [{ (x: inout StudioSettings) in x.seed += 1 }, { $0.prompt = "a sketch" }, { $0.steps += 1 },
                       { $0.face = .random(seed: 99) }, { $0.cfg.scale = 3 }, { $0.sampler = .eulerAncestral }] {
            var other = moved
            change(&other)
            #expect(!s.differsOnlyInGuidance(from: other))
        }
    }

    /// A resume needs the same targets on, each moved by at most a fifth of its half range.
    @Test func onlySmallTargetMovesResume() {
        var s = StudioTestModels.settings()
        s.targets.steer(.x, to: 0.1)
        var nudged = s
        nudged.targets.steer(.yaw, to: s.targets.value(.yaw) + 15)
        nudged.targets.steer(.x, to: 0.18)
        nudged.guidance = s.guidance * 3
        #expect(nudged.canResume(from: s))
        var far = nudged
        far.targets.steer(.x, to: 0.25)
        #expect(!far.canResume(from: s), "x moved 0.15, more than a fifth of 0.5")
        var left = s
        left.targets.steer(.x, to: -0.3)
        var coarse = left
        coarse.targets.steer(.x, to: left.targets.value(.x) + 0.1)
        #expect(coarse.canResume(from: left), "x's coarse step, exactly a fifth of 0.5 up to float rounding")
        var switched = s
        switched.targets.set(.pitch, active: true)
        #expect(!switched.canResume(from: s), "a target switched on")
        var reseeded = nudged
        reseeded.seed += 1
        #expect(!reseeded.canResume(from: s))
    }

    @Test func settingsProblemsNameTheBadValue() {
        var s = StudioSettings()
        #expect(s.problems().isEmpty)
        s.faceMix = 2
        s.faceB = .random(seed: 1)
        #expect(s.problems().contains { $0.contains("face-mix") } && s.problems().contains { $0.contains("--face-b") })
    }

    @Test func sweepsStepEvenlyAndSwitchTargetsOn() {
        let sweep = Sweep(parameter: .yaw, from: -60, to: 60, frames: 5)
        #expect(sweep.values == [-60, -30, 0, 30, 60])
        let frames = sweep.settings(from: StudioSettings())
        #expect(frames.map { $0.targets.value(.yaw) } == sweep.values && frames.allSatisfy { $0.targets.isActive(.yaw) })
        #expect(Sweep(parameter: .cfgFace, from: 0, to: 1, frames: 3).settings(from: StudioSettings()).map(\.cfg.face) == [0, 0.5, 1])
        #expect(SweepParameter(rawValue: "pose-prior").map { Sweep(parameter: $0, from: 0, to: 8, frames: 3) }?
            .settings(from: StudioSettings()).map(\.posePrior) == [0, 4, 8])
        #expect(SweepParameter(rawValue: "guidance-push-limit").map { Sweep(parameter: $0, from: 0, to: 1, frames: 3) }?
            .settings(from: StudioSettings()).map(\.guidancePushLimit) == [0, 0.5, 1])
    }

    /// Sweeps whose frames would all be one picture say so before they render, and only those.
    @Test func sweepsSayWhenTheirFramesWillBeAlike() {
        let untargeted = StudioSettings()
        #expect(untargeted.targets.active.isEmpty, "new settings steer no target")
        var targeted = untargeted
        targeted.targets.steer(.yaw, to: 30)
        let guidance = Sweep(parameter: .guidance, from: 0, to: 180, frames: 3)
        #expect(guidance.alikeFrames(from: untargeted)?.contains("no pose target is on") == true)
        #expect(guidance.alikeFrames(from: targeted) == nil)
        #expect(Sweep(parameter: .guidancePushLimit, from: 0.25, to: 1, frames: 3).alikeFrames(from: untargeted) != nil)
        let prior = Sweep(parameter: .posePrior, from: 0, to: 8, frames: 3)
        #expect(prior.alikeFrames(from: untargeted)?.contains("pose prior") == true && prior.alikeFrames(from: targeted) == nil)
        let early = Sweep(parameter: .cfgEarly, from: 1, to: 7.5, frames: 3)
        #expect(early.alikeFrames(from: targeted) == nil)
        targeted.cfg.scale = 4
        #expect(early.alikeFrames(from: targeted)?.contains("capped at the CFG scale (4.0)") == true)
        #expect(Sweep(parameter: .yaw, from: -60, to: 60, frames: 3).alikeFrames(from: untargeted) == nil)
        let mix = Sweep(parameter: .faceMix, from: 0, to: 1, frames: 3)
        var faces = untargeted
        #expect(mix.alikeFrames(from: faces)?.contains("there is no face A") == true)
        faces.face = .random(seed: 1)
        #expect(mix.alikeFrames(from: faces)?.contains("there is no face B") == true)
        faces.faceB = .random(seed: 2)
        #expect(mix.alikeFrames(from: faces) == nil)
    }

    /// The noisier steps' CFG scale sweeps on the settings' own timestep; on a session that ran CFG
    /// in full on every step, each frame gets new settings' timestep, or no step would change.
    @Test func cfgEarlySweepsSetTheNoisierSteps() {
        let early = Sweep(parameter: .cfgEarly, from: 1, to: 7, frames: 3)
        var own = StudioSettings()
        own.cfgFrom = 500
        let frames = early.settings(from: own)
        #expect(frames.map(\.cfgEarlyScale) == [1, 4, 7] && frames.allSatisfy { $0.cfgFrom == 500 })
        var everyStep = StudioSettings()
        everyStep.cfgFrom = StudioSettings.cfgFromEveryStep
        let old = early.settings(from: everyStep)
        #expect(old.map(\.earlyCFG.scale) == [1, 4, 7] && old.allSatisfy { $0.cfgFrom == StudioSettings().cfgFrom })
        everyStep.cfg.scale = 3
        #expect(early.settings(from: everyStep).map(\.earlyCFG.scale) == [1, 3, 3], "capped at the CFG scale")
    }

    @Test func fidelityStatistics() {
        #expect(FidelityStatistics.spearman([1, 2, 3, 4], [10, 20, 25, 100]) == 1)
        #expect(FidelityStatistics.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
        #expect(abs(FidelityStatistics.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-5)
        #expect(FidelityStatistics.binsFilled([-59, -50, 0, 59, 200], range: -60...60, bins: 8) == 3)
        // y = 0.8 x + 0.15 with errors of +-0.01 that cancel, so the fit is the line.
        let fit = FidelityStatistics.linearFit([0.3, 0.5, 0.7, 0.9], [0.39 + 0.01, 0.55 - 0.01, 0.71 - 0.01, 0.87 + 0.01])
        #expect(fit.map { abs($0.slope - 0.8) < 1e-5 && abs($0.intercept - 0.15) < 1e-5 } == true, "\(String(describing: fit))")
        #expect(FidelityStatistics.linearFit([2, 2], [1, 3]) == nil, "no line through one x")
        let landing = FidelityStatistics.landingLines(
            [0.3, 0.5, 0.7].map { PoseValues(pitch: 2 * $0, yaw: 0, x: 0, y: 0, scale: $0 + 0.05) },
            [0.3, 0.5, 0.7].map { PoseValues(pitch: $0, yaw: $0, x: $0, y: $0, scale: $0) })
        #expect(landing["scale"].map { abs($0["slope"]! - 1) < 1e-5 && abs($0["intercept"]! - 0.05) < 1e-5 } == true)
        #expect(landing["pitch"]?["slope"].map { abs($0 - 2) < 1e-5 } == true && landing["yaw"]?["slope"] == 0)
    }

    /// Four targets of two seeds each, with absolute yaw errors (0, 2), (2, 4), (4, 6), (6, 8) (signs do
    /// not count): group means 1, 3, 5, 7, their sample variance 20/3, so the standard error is
    /// sqrt(20/3 / 4). Pitch is exact everywhere and x off by the same amount everywhere: no spread.
    @Test func standardErrorOfTheMeanAbsoluteError() {
        let truth = [PoseValues](repeating: PoseValues(pitch: 10, yaw: 0, x: 0, y: 0, scale: 0.5), count: 8)
        let predicted = [0, 2, -2, 4, 4, -6, -6, 8].map { PoseValues(pitch: 10, yaw: Float($0), x: 0.1, y: 0, scale: 0.5) }
        let error = FidelityStatistics.standardErrorOfMeanAbsoluteError(predicted, truth, groupSize: 2)
        #expect(error.map { abs($0.yaw - (Float(20) / 3 / 4).squareRoot()) < 1e-5 } == true, "\(String(describing: error))")
        #expect(error.map { $0.pitch == 0 && abs($0.x) < 1e-6 && $0.scale == 0 } == true)
        // Taken case by case, the eight errors would spread less: the groups are what counts.
        let ungrouped = FidelityStatistics.standardErrorOfMeanAbsoluteError(predicted, truth, groupSize: 1)
        #expect(ungrouped.map { abs($0.yaw - (error?.yaw ?? 0)) > 0.1 } == true, "\(String(describing: ungrouped))")
        #expect(FidelityStatistics.standardErrorOfMeanAbsoluteError(predicted, truth, groupSize: 4) != nil)
        #expect(FidelityStatistics.standardErrorOfMeanAbsoluteError(predicted, truth, groupSize: 8) == nil,
                "one target has no spread between targets to measure")
    }

    /// Several runs of one sweep: the mean and the worst run of each figure.
    @Test func sweepRunsGiveTheMeanAndTheWorstRun() {
        var runs = SweepRuns(sweep: Sweep(parameter: .yaw, from: -60, to: 60, frames: 3))
        runs.judged = [[-60, 0, 60], [50, 0, -50], [-10, 0, 10]]
        let figures = runs.figures(binning: .init(count: 4, range: -60...60))
        #expect(abs((figures["spearman"] ?? .nan) - 1.0 / 3) < 1e-6 && figures["spearman_worst"] == -1)
        #expect(abs((figures["bins_filled"] ?? .nan) - 8.0 / 3) < 1e-6 && figures["bins_filled_fewest"] == 2 && figures["bins"] == 4)
        #expect(figures["sweeps"] == 3)
        #expect(runs.figures().keys.sorted() == ["spearman", "spearman_worst", "sweeps"], "no binning, no bin figures")
    }
}

/// The example sessions shipped in Examples/ load, and every face they name is there.
@Suite struct ExampleSessionTests {
    @Test func everyExampleSessionLoadsWithItsFaces() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples")
        let files = try FileManager.default.contentsOfDirectory(at: examples, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        #expect(files.count >= 3)
        for file in files {
            let opened = try SessionFile.open(file)
            #expect(opened.ignoredKeys.isEmpty, "\(file.lastPathComponent) holds only keys PoseStudio knows")
            let session = opened.session
            for source in [session.settings.face, session.settings.faceB] {
                guard case .images(let paths) = source else { continue }
                for path in paths { #expect(FileManager.default.fileExists(atPath: path), "\(file.lastPathComponent): \(path)") }
            }
        }
    }
}

/// A session keeps its faces' embeddings, so the face survives its image file going away.
@Suite struct SessionFaceEmbeddingTests {
    @Test func aRecordedEmbeddingStandsInForAMissingImage() throws {
        let models = try StudioTestModels.models()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("faces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let imagePath = folder.appendingPathComponent("ana.png").path
        let store = FaceEmbeddingStore()
        let ana: FaceImageLoader = { path in
            guard path == imagePath else { throw SessionFileError.missing(path: path) }
            return try StudioTestModels.faceLoader("face 7")
        }
        let engine = SamplingEngine(models: models, faceImageLoader: ana, faceStore: store)
        var settings = StudioSettings()
        settings.face = .images(paths: [imagePath])
        let original = try #require(try engine.embedding(of: settings.face))

        var session = SessionFile(settings: settings)
        session.recordFaces(from: store)
        let url = folder.appendingPathComponent("pose.json")
        try session.save(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8).contains(#""ana.png""#), "recorded under the relative path")

        let reopened = try SessionFile.open(url).session
        let missing: FaceImageLoader = { path in throw SessionFileError.missing(path: path) }
        let fresh = SamplingEngine(models: models, faceImageLoader: missing, faceStore: FaceEmbeddingStore(recordedIn: reopened))
        #expect(try fresh.embedding(of: reopened.settings.face) == original)
        let unknown = SamplingEngine(models: models, faceImageLoader: missing)
        #expect(throws: StudioError.self) { try unknown.embedding(of: reopened.settings.face) }
    }

    /// Another face encoder's embedding of a picture would draw another person: when the image
    /// is gone, it is refused with the reason, and kept in the session for the model that made it.
    @Test func anotherEncodersEmbeddingDoesNotStandInButIsKept() throws {
        let models = try StudioTestModels.models()
        let path = "/nowhere/ana.png"
        var settings = StudioSettings()
        settings.face = .images(paths: [path])
        let embedding = [Float](repeating: 0, count: models.faceEncoder.embeddingDim - 1) + [1]
        let missing: FaceImageLoader = { path in throw SessionFileError.missing(path: path) }
        func engine(encoder: String?) -> SamplingEngine {
            let session = SessionFile(settings: settings, faces: [path: RecordedFace(embedding: embedding, encoder: encoder)])
            return SamplingEngine(models: models, faceImageLoader: missing, faceStore: FaceEmbeddingStore(recordedIn: session))
        }

        let own = engine(encoder: models.faceEncoder.weightsFingerprint)
        #expect(try own.embedding(of: settings.face) == embedding)
        for (encoder, maker) in [("0123abcd", "another face encoder"), (nil, "a face encoder the session does not name")] {
            let other = engine(encoder: encoder)
            #expect { try other.embedding(of: settings.face) } throws: { "\($0)".contains("was made by \(maker)") }
            var saved = SessionFile(settings: settings)
            saved.recordFaces(from: other.faceStore)
            #expect(saved.faces == [path: RecordedFace(embedding: embedding, encoder: encoder)])
        }
    }

    /// A face whose image can still be read is embedded again, and the session then records the
    /// model's own encoder for it: an old session heals on its first render and save.
    @Test func aReadableImageReplacesAnUnnamedEmbedding() throws {
        let models = try StudioTestModels.models()
        let path = "/faces/ana.png"
        var settings = StudioSettings()
        settings.face = .images(paths: [path])
        let unnamed = RecordedFace(embedding: [Float](repeating: 0, count: models.faceEncoder.embeddingDim), encoder: nil)
        let old = SessionFile(settings: settings, faces: [path: unnamed])
        let engine = SamplingEngine(models: models, faceImageLoader: { _ in try StudioTestModels.faceLoader("face 3") },
                                    faceStore: FaceEmbeddingStore(recordedIn: old))
        _ = try engine.embedding(of: settings.face)
        var saved = old
        saved.recordFaces(from: engine.faceStore)
        let fresh = models.faceEncoder.embedding(of: try StudioTestModels.faceLoader("face 3"))
        #expect(saved.faces[path] == RecordedFace(embedding: fresh, encoder: models.faceEncoder.weightsFingerprint))
    }

    /// Two written paths that name one file keep one embedding, with its own encoder: the one
    /// that names an encoder wins, whichever order the paths come in.
    @Test func pathsThatMeetKeepEachEmbeddingWithItsEncoder() {
        let folder = URL(fileURLWithPath: "/sessions")
        let named = RecordedFace(embedding: [1, 0], encoder: "abc"), unnamed = RecordedFace(embedding: [0, 1], encoder: nil)
        for (first, second) in [("./ana.png", "ana.png"), ("ana.png", "./ana.png")] {
            let session = SessionFile(settings: StudioSettings(), faces: [first: unnamed, second: named])
            let resolved = session.resolvingFacePaths(against: folder)
            #expect(resolved.faces == ["/sessions/ana.png": named], "\(first), \(second)")
        }
        // Two records of equal rank: the first path in order keeps the file.
        let other = RecordedFace(embedding: [1, 1], encoder: "def")
        let tie = SessionFile(settings: StudioSettings(), faces: ["./ana.png": other, "ana.png": named])
        #expect(tie.resolvingFacePaths(against: folder).faces == ["/sessions/ana.png": other])
    }

    /// The file keeps the embeddings and their encoders in two maps by path; an embedding whose
    /// encoder the file does not name (an older session) reads back with none.
    @Test func sessionFileWritesEmbeddingsAndEncodersAsTwoMaps() throws {
        let session = SessionFile(settings: StudioSettings(), faces: ["/a.png": RecordedFace(embedding: [1, 2], encoder: "abc"),
                                                                     "/b.png": RecordedFace(embedding: [3, 4], encoder: nil)])
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(session)) as? [String: Any]
        #expect(json?["faceEmbeddings"] as? [String: [Float]] == ["/a.png": [1, 2], "/b.png": [3, 4]])
        #expect(json?["faceEmbeddingEncoders"] as? [String: String] == ["/a.png": "abc"])
        #expect(try JSONDecoder().decode(SessionFile.self, from: JSONEncoder().encode(session)) == session)
    }
}

/// Session files that cannot be used are refused with the reason, and never half-read.
@Suite struct BadSessionFileTests {
    private func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-session-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func aNewerVersionIsRefusedByName() throws {
        let url = try write(#"{"version": 99, "settings": {}}"#)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: SessionFileError.newerVersion(path: url.path, version: 99)) { try SessionFile.open(url).session }
    }

    @Test func garbageAndWrongTypesAreErrorsNotCrashes() throws {
        for text in ["", "not json", "[1,2]", #"{"version": "two", "settings": {}}"#, #"{"version": 2}"#,
                     #"{"version": 2, "settings": {"steps": "many"}}"#, #"{"version": 2, "settings": {"face": {"images": 3}}}"#] {
            let url = try write(text)
            defer { try? FileManager.default.removeItem(at: url) }
            #expect(throws: (any Error).self, "\(text)") { try SessionFile.open(url).session }
        }
    }

    @Test func outOfRangeValuesLoadButAreNamedBeforeAnyRender() throws {
        let url = try write(#"{"version": 2, "settings": {"steps": 100000, "cfg": {"scale": -5, "combined": 1, "face": 0.5}}}"#)
        defer { try? FileManager.default.removeItem(at: url) }
        let problems = try SessionFile.open(url).session.settings.problems()
        #expect(problems.contains { $0.contains("steps") } && problems.contains { $0.contains("cfg") })
    }
}

/// Keys a session file holds that loading ignores are named, so a misspelled one is not silently lost.
@Suite final class SessionIgnoredKeysTests {
    let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ignored-keys-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func aSessionPoseStudioWroteHasNone() throws {
        var settings = StudioSettings()
        let ana = folder.appendingPathComponent("faces/ana.png").path
        settings.face = .images(paths: [ana])
        settings.faceB = .random(seed: 4)
        settings.guidancePushLimit = 0.5
        let session = SessionFile(settings: settings, bookmarks: [Bookmark(name: "left", settings: settings)],
                                  sweeps: [SessionSweep(Sweep(parameter: .yaw, from: -60, to: 60, frames: 5), base: settings)],
                                  undo: [StudioSettings(), settings], redo: [settings],
                                  faces: [ana: RecordedFace(embedding: [1, 0], encoder: "e")])
        let url = folder.appendingPathComponent("full.json")
        try session.save(to: url)
        let opened = try SessionFile.open(url)
        #expect(opened.ignoredKeys == [])
        #expect(opened.ignoredKeysWarning == nil)
    }

    @Test func misspelledAndUnknownKeysAreNamedOnce() throws {
        let url = folder.appendingPathComponent("typo.json")
        try SessionFile(settings: StudioSettings(), undo: [StudioSettings(), StudioSettings()]).save(to: url)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var settings = try #require(json["settings"] as? [String: Any])
        settings["gudiance"] = 30
        settings["guidancePushLimit"] = NSNull()
        json["settings"] = settings
        json["futureKey"] = 1
        json["undo"] = try #require(json["undo"] as? [[String: Any]]).map { step in step.merging(["gudiance": 3]) { $1 } }
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        let opened = try SessionFile.open(url)
        #expect(opened.ignoredKeys == ["futureKey", "settings.gudiance", "undo[].gudiance"])
        #expect(opened.ignoredKeysWarning?.contains("ignored: futureKey, settings.gudiance, undo[].gudiance") == true)
    }
}
