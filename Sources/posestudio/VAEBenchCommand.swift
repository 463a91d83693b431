import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio bench vae`: what the VAE round trip costs a head's pose, judged on renders and
/// on their reconstructions in the same run.
struct VAEBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vae",
        abstract: "Judge fresh renders and their VAE reconstructions: how much pose the VAE keeps.",
        discussion: """
        The judge's error on the renders is its own floor; its error on the reconstructions \
        (encoded to the posterior mean, then decoded) adds what the round trip lost. Every \
        generated image is decoded by this VAE, so pose it cannot draw is pose guidance cannot reach.
        """)

    @Option(help: "The model folder (needs vae/ and judge/).") var model = "Models/default"
    @Option(help: "Fresh renders to measure.") var count = 256
    @Option(help: "Seed of the rendered world.") var seed: UInt64 = 0x7AE5
    @Flag(help: "Print JSON.") var json = false

    struct Report: Codable {
        var count: Int
        var reconstructionL1: Float
        var judgeMae: [String: [String: Float]]

        enum CodingKeys: String, CodingKey {
            case count, reconstructionL1 = "reconstruction_l1", judgeMae = "judge_mae"
        }
    }

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be between 1 and 100000") }
    }

    func run() throws {
        let folder = ModelFolder(model)
        let (vae, judge) = try failing("bench vae") {
            (try folder.load(AutoencoderKL.self, "vae"), try folder.load(PoseJudge.self, "judge"))
        }
        guard judge.config.imageSize == vae.config.sampleSize else {
            throw ValidationError("the judge reads \(judge.config.imageSize)px images and the VAE makes \(vae.config.sampleSize)px ones")
        }
        let measured = ReconstructionFidelity.measure(vae: vae, judge: judge, count: count, seed: seed)
        let report = Report(count: measured.judgeOnRenders.count, reconstructionL1: measured.reconstructionL1,
                            judgeMae: ["renders": measured.judgeOnRenders.mean.named,
                                       "reconstructions": measured.judgeOnReconstructions.mean.named])
        if json {
            print(try SortedJSON.string(report))
        } else {
            print("""
            \(report.count) fresh renders of seed \(seed), model \(model)
            reconstruction L1:            \(String(format: "%.4f", measured.reconstructionL1))
            judge MAE, renders:           \(measured.judgeOnRenders.summary)
            judge MAE, reconstructions:   \(measured.judgeOnReconstructions.summary)
            """)
        }
    }
}
