import Foundation
import Testing
@testable import PoseEngine

/// `posestudio train vae` end to end on one-step runs of the default configuration.
@Suite struct TrainVAECommandLineTests {
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
}
