import Foundation
import Testing

/// `posestudio train all`: the checks made before anything trains, and the record a stopped run leaves.
@Suite struct TrainAllCommandLineTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, output: Data, error: String) {
        try CommandLineProcess.run(arguments)
    }

    /// A scratch folder not yet made, removed after `body`.
    private func withScratch(_ body: (URL) throws -> Void) throws {
        try #require(FileManager.default.fileExists(atPath: CommandLineProcess.executable.path), "build posestudio first (swift build)")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("train-all-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try body(scratch)
    }

    /// The face encoder needs 12 people per batch: with 4, the run stops before the vae trains.
    @Test func aSettingALaterComponentRefusesStopsTheRunBeforeAnythingTrains() throws {
        try withScratch { scratch in
            let model = scratch.appendingPathComponent("model"), runs = scratch.appendingPathComponent("runs")
            let refused = try run(["train", "all", "--step-scale", "0.0001", "--identities", "4",
                                   "--model", model.path, "--runs", runs.path])
            #expect(refused.status != 0)
            #expect(refused.error.contains("face_encoder cannot train with these settings: --batch 48 / --views 4 is 12 people "
                                           + "per batch, more than --identities 4"), "\(refused.error)")
            #expect(!FileManager.default.fileExists(atPath: model.path), "nothing may train before every component's settings are checked")
            #expect(!FileManager.default.fileExists(atPath: runs.path))
        }
    }

    /// Steps, batch and identities out of range are refused by every training command as its
    /// flags are parsed, before any folder is touched.
    @Test func everyTrainingCommandRefusesAScheduleOutOfRange() throws {
        try withScratch { scratch in
            let place = ["--model", scratch.appendingPathComponent("model").path, "--runs", scratch.appendingPathComponent("runs").path]
            let cases: [([String], String)] = [
                (["train", "vae", "--steps", "0"], "--steps must be positive"),
                (["train", "unet", "--batch", "0"], "--batch must be between 1 and 1024"),
                (["train", "judge", "--batch", "2000"], "--batch must be between 1 and 1024"),
                (["train", "face_encoder", "--identities", "1"], "--identities must be at least 2"),
                (["train", "face_projector", "--reference", scratch.path, "--steps=-3"], "--steps must be positive"),
                (["train", "pose_head", "--identities", "1"], "--identities must be at least 2"),
                (["train", "all", "--identities", "1"], "--identities must be at least 2"),
            ]
            for (arguments, message) in cases {
                let refused = try run(arguments + place)
                #expect(refused.status != 0 && refused.error.contains(message), "\(arguments): \(refused.error)")
            }
            #expect(!FileManager.default.fileExists(atPath: scratch.path))
        }
    }

    /// A --model or --runs that is a file, or lies under one, is refused before any step: the
    /// save at the end would fail after all the training. So is an --init-from without the weights.
    @Test func aModelOrRunsFolderThatIsAFileIsRefusedFirst() throws {
        try withScratch { scratch in
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let file = scratch.appendingPathComponent("file")
            try Data().write(to: file)
            let folder = scratch.appendingPathComponent("folder").path
            let cases: [([String], String)] = [
                (["train", "face_encoder", "--model", file.path, "--runs", folder], "--model \(file.path) is a file, not a folder"),
                (["train", "all", "--model", folder, "--runs", file.path + "/runs"], "--runs \(file.path)/runs lies under the file \(file.path)"),
                // --init-from is named for its own folder, not taken for --model.
                (["train", "judge", "--init-from", folder, "--model", folder], "--init-from \(folder): there is no model folder there"),
                (["train", "judge", "--init-from", scratch.path, "--model", folder], "--init-from \(scratch.path) has no judge/ component"),
            ]
            for (arguments, message) in cases {
                let refused = try run(arguments)
                #expect(refused.status != 0 && refused.error.contains(message), "\(arguments): \(refused.error)")
            }
            #expect(!FileManager.default.fileExists(atPath: folder), "nothing ran")
        }
    }

    /// Runs `posestudio arguments` until `record` holds `text`, then kills it with SIGKILL, as a
    /// crash or an out-of-memory kill would (a child of the test process inherits its blocked
    /// signals, SIGTERM among them). Whether it was still running then, the record, and whether
    /// the record held `passing` at some moment before.
    private func killed(_ arguments: [String], onceRecordAt record: URL, holds text: String, passing: String = "")
        throws -> (wasRunning: Bool, record: String, passed: Bool) {
        let process = Process()
        process.executableURL = CommandLineProcess.executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        func contents() -> String { (try? String(contentsOf: record, encoding: .utf8)) ?? "" }
        let deadline = Date().addingTimeInterval(300)
        var passed = false
        while process.isRunning && Date() < deadline {
            let now = contents()
            passed = passed || now.contains(passing)
            if now.contains(text) { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return (wasRunning, contents(), passed)
    }

    /// A run killed while the face encoder trains has already recorded the vae, its time and the
    /// five components it did not reach; started again, it records that the vae went on from its checkpoint.
    @Test func aRunKilledAfterOneComponentHasRecordedIt() throws {
        try withScratch { scratch in
            let runs = scratch.appendingPathComponent("runs"), record = runs.appendingPathComponent("train-all.md")
            let arguments = ["train", "all", "--step-scale", "0.0001", "--identities", "16",
                             "--model", scratch.appendingPathComponent("model").path, "--runs", runs.path]
            let done = "1 of 6 components trained; not yet face_encoder, judge, unet, pose_head, pose_head_lookahead"

            let first = try killed(arguments, onceRecordAt: record, holds: done)
            #expect(first.wasRunning, "the record must be written while the run goes on, not when it ends")
            #expect(first.record.contains(done), "\(first.record)")
            let rows = first.record.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| component") }
            #expect(rows.map { $0.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) } } == ["vae", "total"])
            let peak = first.record.split(separator: "\n").first { $0.hasPrefix("Peak memory: ") }
                .flatMap { Double($0.dropFirst("Peak memory: ".count).prefix { $0.isNumber }) } ?? 0
            #expect(peak > 10 && peak < 100_000, "peak memory \(peak) MB")
            #expect(!first.record.contains("went on from its checkpoint"))

            // Started again, it first replaces the record it finds with its own, then records the vae.
            let again = try killed(arguments, onceRecordAt: record, holds: "went on from its checkpoint",
                                   passing: "0 of 6 components trained")
            #expect(again.passed, "a new run must not leave the last run's record in place")
            #expect(again.wasRunning && again.record.contains(done), "\(again.record)")
            #expect(again.record.contains("| vae | ") && again.record.contains(" (went on from its checkpoint; earlier runs' time not counted) |"))
        }
    }
}
