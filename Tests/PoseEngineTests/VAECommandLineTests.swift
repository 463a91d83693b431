import Foundation
import ImageFiles
import Testing
@testable import PoseEngine

/// `posestudio train vae` and `posestudio bench vae` end to end on the tiny test model.
@Suite struct VAECommandLineTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, output: Data, error: String) {
        try CommandLineProcess.run(arguments)
    }

    /// `--decoder-only --init-from A` keeps A's encoder and scaling factor bit for bit (a UNet
    /// trained on A's latents stays valid), trains the decoder, and runs in its own folder.
    @Test func aDecoderOnlyRunKeepsTheEncoderAndTheScalingFactor() throws {
        try #require(FileManager.default.fileExists(atPath: CommandLineProcess.executable.path), "build posestudio first (swift build)")
        let a = try StudioTestModels.folder()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vae-decoder-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: root)
        }
        let b = root.appendingPathComponent("b"), runs = root.appendingPathComponent("runs")
        let small = ["--batch", "2", "--identities", "4", "--eval-images", "2", "--model", b.path, "--runs", runs.path]

        let refused = try run(["train", "vae", "--decoder-only"] + small)
        #expect(refused.status != 0 && refused.error.contains("--decoder-only needs --init-from"))

        let tuned = try run(["train", "vae", "--decoder-only", "--init-from", a.path, "--steps", "3"] + small)
        try #require(tuned.status == 0, "\(tuned.error)")
        let report = try String(contentsOf: runs.appendingPathComponent("vae_decoder/report.md"), encoding: .utf8)
        #expect(report.contains("kept: the encoder is frozen") && report.contains("the VAE in \(a.path)"))

        let given = try AutoencoderKL.load(from: a.appendingPathComponent("vae"))
        let trained = try AutoencoderKL.load(from: b.appendingPathComponent("vae"))
        #expect(trained.config.scalingFactor == given.config.scalingFactor)
        let changed = zip(given.namedParameters(), trained.namedParameters())
            .filter { $0.parameter.value != $1.parameter.value }.map(\.0.name)
        #expect(!changed.isEmpty && changed.allSatisfy { $0.hasPrefix("decoder.") || $0.hasPrefix("post_quant_conv.") }, "\(changed)")
    }

    /// `bench vae` judges renders and their reconstructions, and names what is missing.
    @Test func benchVAEReportsTheJudgeOnRendersAndReconstructions() throws {
        try #require(FileManager.default.fileExists(atPath: CommandLineProcess.executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run(["bench", "vae", "--count", "6", "--json", "--model", folder.path])
        try #require(result.status == 0, "\(result.error)")
        let report = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
        #expect(report?["count"] as? Int == 6)
        #expect((report?["reconstruction_l1"] as? Double).map { $0 > 0 && $0.isFinite } == true)
        let mae = report?["judge_mae"] as? [String: [String: Double]]
        for side in ["renders", "reconstructions"] {
            #expect(mae?[side].map { Set($0.keys) } == Set(PoseValues.names), "\(side)")
            #expect(mae?[side]?.values.allSatisfy { $0.isFinite && $0 >= 0 } == true)
        }

        let pictures = folder.appendingPathComponent("pairs")
        let kept = try run(["bench", "vae", "--count", "3", "--images-dir", pictures.path, "--model", folder.path])
        try #require(kept.status == 0, "\(kept.error)")
        let readings = try JSONSerialization.jsonObject(with: Data(contentsOf: pictures.appendingPathComponent("readings.json"))) as? [[String: Any]]
        #expect(readings?.map { $0["file"] as? String } == ["0000.png", "0001.png", "0002.png"])
        #expect(readings?.allSatisfy { ($0["truth"] as? [String: Double]).map { Set($0.keys) } == Set(PoseValues.names) } == true)
        let pair = try RGBImage.load(from: pictures.appendingPathComponent("0001.png").path)
        #expect(pair.width == 2 * pair.height)

        try FileManager.default.removeItem(at: folder.appendingPathComponent("judge"))
        let noJudge = try run(["bench", "vae", "--model", folder.path])
        #expect(noJudge.status == 1 && noJudge.error.contains("judge"))
    }
}
