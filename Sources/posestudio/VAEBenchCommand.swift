import ArgumentParser
import AtomicFiles
import Foundation
import ImageFiles
import PoseEngine

/// `posestudio bench vae`: what the VAE round trip costs a head's pose, judged on renders and
/// on their reconstructions in the same run.
struct VAEBenchCommand: ParsableCommand, ModelChoice {
    static let configuration = CommandConfiguration(
        commandName: "vae",
        abstract: "Judge fresh renders and their VAE reconstructions: how much pose the VAE keeps.",
        discussion: """
        The judge's error on the renders is its own floor; its error on the reconstructions \
        (encoded to the posterior mean, then decoded) adds what the round trip lost. Every \
        generated image is decoded by this VAE, so pose it cannot draw is pose guidance cannot reach.
        """)

    @Option(help: ArgumentHelp("The model folder (needs vae/ and judge/).", discussion: defaultModelHelp)) var model: String?
    @Option(help: "Fresh renders to measure.") var count = 256
    @Option(help: "Seed of the rendered world.") var seed: UInt64 = 0x7AE5
    @Flag(help: "Print JSON.") var json = false
    @Option(name: .customLong("images-dir"), help: ArgumentHelp(
        "Write each render beside its reconstruction (NNNN.png) and the judge's readings (readings.json) into this folder.",
        discussion: "readings.json lists, per picture, the true pose and the judge's reading of the render and of the reconstruction."))
    var imagesDir: String?

    struct Report: Codable {
        var count: Int
        var reconstructionL1: Float
        var judgeMae: [String: [String: Float]]

        enum CodingKeys: String, CodingKey {
            case count, reconstructionL1 = "reconstruction_l1", judgeMae = "judge_mae"
        }
    }

    /// One picture of --images-dir: its true pose and the judge's two readings.
    struct Reading: Codable {
        var file: String
        var truth: [String: Float]
        var render: [String: Float]
        var reconstruction: [String: Float]
    }

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be between 1 and 100000") }
    }

    func run() throws {
        let path = modelPath
        let folder = ModelFolder(path)
        let (vae, judge) = try failing("bench vae") {
            (try folder.load(AutoencoderKL.self, "vae"), try folder.load(PoseJudge.self, "judge"))
        }
        if let mismatch = ModelCompatibility.judgeSizeMismatch(judgeImageSize: judge.config.imageSize, vae: vae.config) {
            throw ValidationError(mismatch)
        }
        if let imagesDir { try FolderMaker.make(imagesDir) }
        var readings: [Reading] = []
        let digits = max(4, String(count - 1).count)
        let measured = try ReconstructionFidelity.measure(vae: vae, judge: judge, count: count, seed: seed) { pair in
            guard let imagesDir else { return }
            let file = String(format: "%0\(digits)d.png", pair.index)
            let side = ImageTensor.sheet(rows: [Tensor(shape: [2] + pair.render.shape.dropFirst(),
                                                       scalars: pair.render.scalars + pair.reconstruction.scalars)])
            try failing("bench vae") {
                try RGBImage(width: side.width, height: side.height, pixels: side.pixels).writePNG(to: imagesDir + "/" + file)
            }
            readings.append(Reading(file: file, truth: pair.truth.named, render: pair.readOnRender.named,
                                    reconstruction: pair.readOnReconstruction.named))
        }
        if let imagesDir {
            try failing("bench vae") { try SortedJSON.data(readings).write(to: URL(fileURLWithPath: imagesDir + "/readings.json")) }
        }
        let report = Report(count: measured.judgeOnRenders.count, reconstructionL1: measured.reconstructionL1,
                            judgeMae: ["renders": measured.judgeOnRenders.mean.named,
                                       "reconstructions": measured.judgeOnReconstructions.mean.named])
        if json {
            print(try SortedJSON.string(report))
        } else {
            print("""
            \(report.count) fresh renders of seed \(seed), model \(path)
            reconstruction L1:            \(String(format: "%.4f", measured.reconstructionL1))
            judge MAE, renders:           \(measured.judgeOnRenders.summary)
            judge MAE, reconstructions:   \(measured.judgeOnReconstructions.summary)
            """)
        }
    }
}
