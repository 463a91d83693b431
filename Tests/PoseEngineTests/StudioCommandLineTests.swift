import Foundation
import ImageFiles
import Testing
@testable import PoseEngine

/// End-to-end runs of the built posestudio binary on a tiny model folder.
@Suite struct StudioCommandLineTests {
    private var executable: URL { CommandLineProcess.executable }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: Data, error: String) {
        try CommandLineProcess.run(arguments)
    }

    @Test func renderWritesIdenticalPNGsAndSweepWritesASheet() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let common = ["--model", folder.path, "--steps", "3", "--face-seed", "4", "--pose", "three-quarter left", "--seed", "9"]
        let first = try run(["render"] + common + ["--out", out.appendingPathComponent("a.png").path])
        #expect(first.status == 0, "\(first.error)")
        #expect(!first.error.contains("scheduler_config.json"), "a folder that says its schedule gets no note: \(first.error)")
        let second = try run(["render"] + common + ["--out", out.appendingPathComponent("b.png").path, "--sixel"])
        #expect(second.status == 0 && second.output.starts(with: [0x1B, 0x50]))
        let a = try Data(contentsOf: out.appendingPathComponent("a.png")), b = try Data(contentsOf: out.appendingPathComponent("b.png"))
        #expect(!a.isEmpty && a == b)

        // Without scheduler/ the render is SD's schedule's, and says it assumed it.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("scheduler"))
        let assumed = try run(["render"] + common + ["--out", out.appendingPathComponent("c.png").path])
        #expect(assumed.status == 0 && assumed.error.contains("has no scheduler/scheduler_config.json, so it samples with "
                                                              + "Stable Diffusion's scaled_linear schedule"), "\(assumed.error)")
        #expect(try Data(contentsOf: out.appendingPathComponent("c.png")) == a)

        // Negative targets read as values with or without `=`, and give the same picture, not the
        // one of the same targets with the signs dropped.
        let spellings = [["--pitch", "-20", "--yaw", "-30", "--x", "-0.1", "--y", "-0.05"],
                         ["--pitch=-20", "--yaw=-30", "--x=-0.1", "--y=-0.05"],
                         ["--pitch", "20", "--yaw", "30", "--x", "0.1", "--y", "0.05"]]
        for (i, flags) in spellings.enumerated() {
            let result = try run(["render"] + common + flags + ["--out", out.appendingPathComponent("n\(i).png").path])
            #expect(result.status == 0, "\(flags): \(result.error)")
        }
        let pictures = try (0..<3).map { try Data(contentsOf: out.appendingPathComponent("n\($0).png")) }
        #expect(pictures[0] == pictures[1] && pictures[0] != pictures[2])

        // --cfg-early on a session from before it (CFG in full on every step) sets the noisier
        // steps as the studio's row does; a --cfg-from given too wins.
        let old = folder.appendingPathComponent("old.json")
        try Data(#"{"version": 2, "settings": {"seed": 9, "steps": 3}}"#.utf8).write(to: old)
        let cfgRuns = [[String](), ["--cfg-early", "3"], ["--cfg-early", "3", "--cfg-from", "1000"]]
        for (i, flags) in cfgRuns.enumerated() {
            let result = try run(["render", "--model", folder.path, "--session", old.path] + flags + ["--out", out.appendingPathComponent("c\(i).png").path])
            #expect(result.status == 0, "\(flags): \(result.error)")
        }
        let cfgPictures = try (0..<3).map { try Data(contentsOf: out.appendingPathComponent("c\($0).png")) }
        #expect(cfgPictures[0] != cfgPictures[1] && cfgPictures[0] == cfgPictures[2])

        let sweep = try run(["sweep", "--param", "yaw", "--from", "-60", "--to", "-20", "--frames", "3"] + common
                            + ["--out", out.appendingPathComponent("sheet.png").path, "--frames-dir", out.appendingPathComponent("frames").path])
        #expect(sweep.status == 0, "\(sweep.error)")
        #expect(sweep.error.contains(": frame 1/3\nyaw"), "piped progress is one line per frame: \(sweep.error)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("frames/frame-002.png").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("sheet.png").path))

        let samples = try run(["samples", "--count", "10", "--random-faces", "--model", folder.path, "--steps", "2",
                               "--out", out.appendingPathComponent("samples.png").path])
        #expect(samples.status == 0, "\(samples.error)")
        let sheet = try RGBImage.load(from: out.appendingPathComponent("samples.png").path)
        // Ten 16-pixel samples, eight to a row, with 2-pixel gaps around every cell.
        #expect(sheet.width == 8 * 18 + 2 && sheet.height == 2 * 18 + 2, "\(sheet.width)x\(sheet.height)")
    }

    @Test func fidelityBenchReportsEveryMetricAndPlots() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plots = folder.appendingPathComponent("plots"), images = folder.appendingPathComponent("images")
        let result = try run(["bench", "fidelity", "--quick", "--json", "--steps", "2", "--guidance", "7.5", "--cfg", "3", "--model", folder.path,
                              "--plots-dir", plots.path, "--images-dir", images.path])
        #expect(result.status == 0, "\(result.error)")
        let whole = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
        let report = whole?.compactMapValues { $0 as? [String: Any] }
        let guided = report?["pose_mae"]?["guided"] as? [String: Double]
        #expect(guided?.keys.sorted() == ["pitch", "scale", "x", "y", "yaw"])
        #expect(report?["guidance"]?["weight"] as? Double == 7.5, "the report says how the guided renders were steered")
        #expect(report?["guidance"]?["cfg"] as? Double == 3 && report?["guidance"]?["cfg_combined"] as? Double == 1)
        #expect(whole?["lookahead_targets"] as? [String] == ["pitch", "yaw"] && report?["guidance"]?["lookahead"] as? Double == 150)
        let summary = try run(["bench", "fidelity", "--quick", "--steps", "2", "--guidance-samples", "2",
                               "--guidance-lookahead-targets", "yaw", "scale", "--model", folder.path, "--plots-dir", plots.path])
        #expect(String(decoding: summary.output, as: UTF8.self).contains("reading yaw scale ahead at t = 150 with gain 10 (2 readings)"),
                "the text summary says how guidance read ahead: \(summary.error)")
        #expect(report?["face_alignment"]?["same_face"] is Double && report?["yaw_sweep"]?["bins_filled"] is Double)
        #expect(report?["face_mix_sweep"]?["spearman"] is Double)
        // The sweeps run from two seeds with --quick: the mean and the worst run are reported.
        let yaw = report?["yaw_sweep"] as? [String: Double] ?? [:]
        #expect(yaw["sweeps"] == 2 && report?["face_mix_sweep"]?["sweeps"] as? Double == 2)
        #expect(yaw["spearman_worst"].map { $0 <= (yaw["spearman"] ?? -2) } == true, "\(yaw)")
        #expect(yaw["bins_filled_fewest"].map { $0 <= (yaw["bins_filled"] ?? -1) && $0 >= 1 } == true, "\(yaw)")
        // The judge's own error on renders and on their VAE decodings, the bench's resolution.
        let judgeError = report?["judge_error"] as? [String: [String: Double]]
        #expect(judgeError?.keys.sorted() == ["decodings", "renders"] && judgeError?["decodings"]?.count == 5)
        #expect(judgeError?["renders"] != judgeError?["decodings"])
        // Where the guided renders land, per quantity: the pairs a head's calibration takes.
        let landing = whole?["guided_landing"] as? [String: [String: Double]]
        #expect(landing?.keys.sorted() == ["pitch", "scale", "x", "y", "yaw"] && landing?["scale"]?.keys.sorted() == ["intercept", "slope"])
        #expect(String(decoding: summary.output, as: UTF8.self).contains("guided renders land at (judged = slope * target + intercept): pitch "))
        #expect(FileManager.default.fileExists(atPath: plots.appendingPathComponent("yaw_sweep.png").path))
        // The quick grid's 4 targets x 2 seeds are kept, guided and unguided, with what was judged.
        let kept = try RGBImage.load(from: images.appendingPathComponent("guided-t3-s1.png").path)
        #expect(kept.width == 16 && FileManager.default.fileExists(atPath: images.appendingPathComponent("unguided-t0-s0.png").path))
        let listed = try JSONSerialization.jsonObject(with: Data(contentsOf: images.appendingPathComponent("targets.json"))) as? [[String: [String: Double]]]
        #expect(listed?.count == 8 && listed?[7]["image"] == ["t": 3, "s": 1] && listed?[0]["guided"]?.count == 5)
    }

    /// The grid's size comes from --targets, --seeds and --sweeps, and the report gives each pose
    /// error's standard error; a grid of no renders is refused before any work.
    @Test func fidelityBenchGridSizeAndStandardErrors() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let images = folder.appendingPathComponent("images")
        let result = try run(["bench", "fidelity", "--quick", "--json", "--steps", "2", "--targets", "2", "--seeds", "3", "--sweeps", "1",
                              "--model", folder.path, "--plots-dir", folder.appendingPathComponent("plots").path, "--images-dir", images.path])
        #expect(result.status == 0, "\(result.error)")
        let report = (try JSONSerialization.jsonObject(with: result.output) as? [String: Any])?.compactMapValues { $0 as? [String: Any] }
        #expect(report?["yaw_sweep"]?["sweeps"] as? Double == 1 && report?["face_mix_sweep"]?["sweeps"] as? Double == 1)
        let listed = try JSONSerialization.jsonObject(with: Data(contentsOf: images.appendingPathComponent("targets.json"))) as? [[String: [String: Double]]]
        #expect(listed?.count == 6 && listed?.last?["image"] == ["t": 1, "s": 2], "2 targets x 3 seeds")
        // The guided yaw error's standard error, worked out again from the judged poses the bench kept:
        // the two targets' mean errors over their three seeds, their spread, over the square root of 2.
        let errors = report?["pose_mae_standard_error"] as? [String: [String: Double]]
        #expect(errors?.keys.sorted() == ["guided", "unguided"] && errors?["guided"]?.keys.sorted() == ["pitch", "scale", "x", "y", "yaw"])
        func yawError(_ row: [String: [String: Double]]?) -> Double {
            let judged: Double = row?["guided"]?["yaw"] ?? .nan, target: Double = row?["target"]?["yaw"] ?? .nan
            return abs(judged - target)
        }
        let means: [Double] = (0..<2).map { t in (0..<3).map { yawError(listed?[t * 3 + $0]) }.reduce(0, +) / 3 }
        let expected = abs(means[0] - means[1]) / 2
        #expect(expected > 0, "the two targets' renders miss by different amounts")
        #expect(abs((errors?["guided"]?["yaw"] ?? .nan) - expected) < 1e-3 * max(expected, 1), "\(String(describing: errors)) against \(expected)")

        let single = try run(["bench", "fidelity", "--quick", "--json", "--steps", "1", "--targets", "1", "--seeds", "2", "--sweeps", "1",
                              "--model", folder.path, "--plots-dir", folder.appendingPathComponent("plots").path])
        let one = try JSONSerialization.jsonObject(with: single.output) as? [String: Any]
        #expect(single.status == 0 && one?["pose_mae"] != nil && one?["pose_mae_standard_error"] == nil,
                "one target leaves no spread between targets to report: \(single.error)")

        // Refused before the model is looked for.
        let missing = folder.appendingPathComponent("no-such-model").path
        let empty = try run(["bench", "fidelity", "--quick", "--seeds", "0", "--model", missing])
        #expect(empty.status != 0 && empty.error.contains("--seeds must be between 1 and 64 (got 0)"), "\(empty.error)")
        let tooMany = try run(["bench", "fidelity", "--quick", "--sweeps", "17", "--model", missing])
        #expect(tooMany.status != 0 && tooMany.error.contains("--sweeps must be between 1 and 16"), "\(tooMany.error)")
    }

    @Test func warmBenchJudgesResumedAgainstFreshRenders() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // 4 steps, 2 of them guided: resumed at step 1, the moved targets still act on step 1.
        let images = folder.appendingPathComponent("warm-images")
        let result = try run(["bench", "warm", "--quick", "--json", "--steps", "4", "--resume-step", "1", "--model", folder.path,
                              "--images-dir", images.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(!result.error.contains("cannot follow"), "\(result.error)")
        let report = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
        #expect(report?["resume_step"] as? Int == 1 && report?["cases"] as? Int == 8)
        #expect(report?["resumed_steps"] as? Int == 2, "half of the 3 steps left, rounded up, as the studio walks them")
        let mae = report?["pose_mae"] as? [String: [String: Double]]
        #expect(mae?["resumed"]?.count == 5 && mae?["fresh"]?.count == 5)
        let response = report?["response"] as? [String: [String: Double]]
        #expect(response?["resumed"]?.count == 5 && response?["fresh"]?.count == 5)
        #expect(response?["fresh"]?.values.allSatisfy(\.isFinite) == true, "\(String(describing: response))")
        #expect((report?["image_l1"] as? Double ?? 0) > 0, "resumed renders keep some of the first targets' steps")
        let kept = try FileManager.default.contentsOfDirectory(atPath: images.path).sorted()
        #expect(kept.count == 8 && kept.first == "case-1.png", "\(kept)")
        let sheet = try RGBImage.load(from: images.appendingPathComponent("case-8.png").path)
        #expect(sheet.width > 2 * sheet.height, "three pictures side by side: \(sheet.width)x\(sheet.height)")

        let pastGuidance = try run(["bench", "warm", "--quick", "--json", "--steps", "4", "--resume-step", "3", "--model", folder.path])
        #expect(pastGuidance.status == 0 && pastGuidance.error.contains("cannot follow the moved targets"), "\(pastGuidance.error)")
        let past = try JSONSerialization.jsonObject(with: pastGuidance.output) as? [String: Any]
        #expect(past?["resumed_steps"] as? Int == 1, "half of the 1 step left after --resume-step 3, rounded up")
        let late = try run(["bench", "warm", "--quick", "--steps", "4", "--resume-step", "4", "--model", folder.path])
        #expect(late.status != 0 && late.error.contains("--resume-step must be between 1 and 3"))
        let tooMany = try run(["bench", "warm", "--quick", "--steps", "4", "--resume-step", "1", "--resumed-steps", "4", "--model", folder.path])
        #expect(tooMany.status != 0 && tooMany.error.contains("--resumed-steps must be between 1 and 3"), "\(tooMany.error)")
        let single = try run(["bench", "warm", "--quick", "--steps", "1", "--model", folder.path])
        #expect(single.status != 0 && single.error.contains("at least 2 steps"), "\(single.error)")
    }

    @Test func badInputsFailWithAMessage() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let missing = try run(["render", "--model", "/nonexistent/model", "--out", "/tmp/x.png"])
        #expect(missing.status != 0 && missing.error.contains("no model folder"))
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let noFace = try run(["render", "--model", folder.path, "--face", "/nonexistent/face.png", "--out", "/tmp/x.png"])
        #expect(noFace.status != 0 && noFace.error.contains("/nonexistent/face.png"))
        let noFaceB = try run(["render", "--model", folder.path, "--face-seed", "3", "--face-b", "/nonexistent/b.png", "--out", "/tmp/x.png"])
        #expect(noFaceB.status == 64 && noFaceB.error.contains("--face-b /nonexistent/b.png: no image file there"),
                "a face B is checked even at a mix of 0: \(noFaceB.error)")
        let badValue = try run(["render", "--model", folder.path, "--cfg-combined", "3", "--out", "/tmp/x.png"])
        #expect(badValue.status != 0 && badValue.error.contains("cfg-combined"))
        let badWord = try run(["render", "--model", folder.path, "--pose", "sideways", "--out", "/tmp/x.png"])
        #expect(badWord.status != 0 && badWord.error.contains("unknown pose"))

        // Checks made while a command runs point to that command's help; a word that names no command says so.
        let zeroSteps = try run(["render", "--model", folder.path, "--steps", "0", "--out", "/tmp/x.png"])
        #expect(zeroSteps.status == 64 && zeroSteps.error.contains("See 'posestudio render --help'")
                && !zeroSteps.error.contains("<subcommand>"), "\(zeroSteps.error)")
        // A value out of range in a session file is the file's to fix; a flag may override it.
        var outOfRange = StudioSettings()
        outOfRange.faceMix = 2
        let session = folder.appendingPathComponent("mix.json")
        try SessionFile(settings: outOfRange).save(to: session)
        let fromFile = try run(["render", "--model", folder.path, "--session", session.path, "--steps", "1",
                                "--out", folder.appendingPathComponent("m.png").path])
        #expect(fromFile.status == 1 && fromFile.error.contains("the settings in \(session.path) cannot be rendered: face-mix")
                && !fromFile.error.contains("--help"), "\(fromFile.error)")
        let overridden = try run(["render", "--model", folder.path, "--session", session.path, "--face-mix", "0.5", "--steps", "1",
                                  "--out", folder.appendingPathComponent("m.png").path])
        #expect(overridden.status == 0, "\(overridden.error)")
        let flagToo = try run(["render", "--model", folder.path, "--session", session.path, "--face-mix", "2", "--steps", "1",
                               "--out", folder.appendingPathComponent("m.png").path])
        #expect(flagToo.status == 64 && flagToo.error.contains("face-mix must be between 0 and 1"), "the flag is at fault too: \(flagToo.error)")
        // A negative number is a value, not a flag: it gets the range's message, not "Missing value".
        for (flag, message) in [("--steps", "steps must be between 1 and 1000 (got -1)"), ("--guidance", "guidance must be between 0 and"),
                                ("--cfg-from", "cfg-from must be a timestep"), ("--eta", "eta must be between 0 and 1")] {
            let negative = try run(["render", "--model", folder.path, flag, "-1", "--out", "/tmp/x.png"])
            #expect(negative.status == 64 && negative.error.contains(message), "\(flag): \(negative.error)")
        }
        let unknown = try run(["rendr", "--steps", "2"])
        #expect(unknown.status == 64 && unknown.error.hasPrefix("Error: unknown command 'rendr'; the commands are studio,"),
                "\(unknown.error)")

        // A sweep of the noisier steps' CFG scale with every step in full asked for says why it
        // cannot show anything, before rendering.
        let early = try run(["sweep", "--model", folder.path, "--param", "cfg-early", "--from", "1", "--to", "5", "--frames", "2",
                             "--cfg-from", "1000", "--steps", "2", "--out", folder.appendingPathComponent("e.png").path])
        #expect(early.status == 64 && early.error.contains("--cfg-from 1000 runs CFG in full on every step"), "\(early.error)")
        #expect(!early.error.contains("frame 1/"))
        // A guidance sweep with no target on says that its frames will be alike.
        let guidanceSweep = ["sweep", "--model", folder.path, "--param", "guidance", "--from", "0", "--to", "90", "--frames", "2",
                             "--steps", "1", "--out", folder.appendingPathComponent("g.png").path]
        let idle = try run(guidanceSweep)
        #expect(idle.status == 0 && idle.error.contains("no pose target is on"), "\(idle.error)")
        let steered = try run(guidanceSweep + ["--yaw", "30"])
        #expect(steered.status == 0 && !steered.error.contains("no pose target is on"), "\(steered.error)")

        // A file that cannot be written is refused before any rendering.
        let nowhere = folder.appendingPathComponent("no-such-folder")
        let commands = [["render"], ["sweep", "--param", "yaw", "--from", "0", "--to", "10", "--frames", "2",
                                     "--frames-dir", nowhere.appendingPathComponent("frames").path],
                        ["samples", "--count", "2"]]
        for command in commands {
            let refused = try run(command + ["--model", folder.path, "--steps", "2", "--out", nowhere.appendingPathComponent("x.png").path])
            #expect(refused.status == 1 && refused.error.contains("there is no folder \(nowhere.path) to write it in"), "\(command[0]): \(refused.error)")
            #expect(!refused.error.contains("frame 1/") && !refused.error.contains("sample 1/"), "nothing was rendered")
            let intoFolder = try run(command + ["--model", folder.path, "--steps", "2", "--out", folder.path])
            #expect(intoFolder.status == 1 && intoFolder.error.contains("is a folder"), "\(intoFolder.error)")
            let jpeg = try run(command + ["--model", folder.path, "--steps", "2", "--out", folder.appendingPathComponent("x.jpg").path])
            #expect(jpeg.status == 1 && jpeg.error.contains("PoseStudio writes PNG files; name it .png"), "\(jpeg.error)")
            let unnamed = try run(command + ["--model", folder.path, "--steps", "2", "--out", ""])
            #expect(unnamed.status == 1 && unnamed.error.contains("--out needs a file name"), "\(unnamed.error)")
        }
        let embedIntoFolder = try run(["embed", "--model", folder.path, "--out", folder.path, "no-such-face.png"])
        #expect(embedIntoFolder.status == 1 && embedIntoFolder.error.contains("is a folder"), "\(embedIntoFolder.error)")
        #expect(!FileManager.default.fileExists(atPath: nowhere.path))
    }
}
