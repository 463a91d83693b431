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
            #expect(refused.error.contains("face_encoder cannot train with these settings: --batch / --views exceeds --identities"),
                    "\(refused.error)")
            #expect(!FileManager.default.fileExists(atPath: model.path), "nothing may train before every component's settings are checked")
            #expect(!FileManager.default.fileExists(atPath: runs.path))
        }
    }

    /// A file where the face encoder's run folder belongs stops the run after the vae: the record
    /// names what trained and what did not.
    @Test func aRunStoppedAfterOneComponentRecordsItsTime() throws {
        try withScratch { scratch in
            let model = scratch.appendingPathComponent("model"), runs = scratch.appendingPathComponent("runs")
            try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
            try Data("in the way".utf8).write(to: runs.appendingPathComponent("face_encoder"))

            let stopped = try run(["train", "all", "--step-scale", "0.0001", "--identities", "16",
                                   "--model", model.path, "--runs", runs.path])
            #expect(stopped.status != 0)
            #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent("vae/config.json").path))
            let record = try String(contentsOf: runs.appendingPathComponent("train-all.md"), encoding: .utf8)
            #expect(record.contains("1 of 6 components trained; not yet face_encoder, judge, unet, pose_head, pose_head_lookahead"),
                    "\(record)")
            let rows = record.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| component") }
            #expect(rows.map { $0.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) } } == ["vae", "total"])
            #expect(record.contains("Peak memory: "))
        }
    }
}
