import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio bench unet`: the UNet's noise-prediction error on renders it never trained on,
/// per timestep and conditioning, so two UNets can be compared on the same noise.
struct UNetBenchCommand: ParsableCommand, ModelChoice {
    static let configuration = CommandConfiguration(
        commandName: "unet",
        abstract: "Measure the UNet's noise-prediction error on a world it never trained on.",
        discussion: """
        Fresh renders are encoded by the model's VAE and noised at fixed timesteps; the UNet \
        predicts the noise with no conditioning, the prompt alone, the face alone, and both \
        (Face0's four branches). The mean squared error is given over every latent and weighted \
        towards the face, where eyes and mouths are drawn. The same --seed gives any model the same \
        renders and noise, so a training run and its continuation compare directly; a lower error \
        with the face than without says the face tokens carry the person.
        """)

    @Option(help: ArgumentHelp("The model folder (needs unet/, text_encoder/, face_projector/, vae/ and face_encoder/).", discussion: defaultModelHelp))
    var model: String?
    @Option(help: "Fresh renders to measure.") var count = 256
    @Option(help: "Seed of the rendered world and of the noise.") var seed: UInt64 = 0xD15E
    @Option(parsing: .upToNextOption, help: "Timesteps to measure at (0 to 999).")
    var timesteps: [Int] = DenoisingError.defaultTimesteps
    @Option(help: "Views averaged into each person's face embedding (as `train unet --views`).") var views = 3
    @Flag(help: "Print JSON.") var json = false

    /// The JSON report: per conditioning, the error at each timestep and the mean over them.
    struct Report: Codable {
        var count: Int
        var seed: UInt64
        var timesteps: [Int]
        var mse: [String: [Float]]
        var faceMse: [String: [Float]]
        var meanMse: [String: Float]
        var meanFaceMse: [String: Float]

        enum CodingKeys: String, CodingKey {
            case count, seed, timesteps, mse, faceMse = "face_mse", meanMse = "mean_mse", meanFaceMse = "mean_face_mse"
        }
    }

    static func name(_ branch: ConditioningBranch) -> String {
        switch branch {
        case .none: return "none"
        case .text: return "prompt"
        case .face: return "face"
        case .textAndFace: return "prompt_and_face"
        }
    }

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be between 1 and 100000") }
        guard (1...16).contains(views) else { throw ValidationError("--views must be between 1 and 16") }
        guard !timesteps.isEmpty else { throw ValidationError("--timesteps needs at least one timestep") }
        if let outside = timesteps.first(where: { !(0..<DiffusionTrainer.trainTimesteps).contains($0) }) {
            throw ValidationError("--timesteps: \(outside) is outside 0 to \(DiffusionTrainer.trainTimesteps - 1)")
        }
    }

    func run() throws {
        let path = modelPath
        let folder = ModelFolder(path)
        let (unet, text, projector) = try failing("bench unet") {
            (try folder.load(UNet2DConditionModel.self, "unet"), try folder.load(TextEncoder.self, "text_encoder"),
             try folder.load(FaceProjector.self, "face_projector"))
        }
        let (vae, faceEncoder) = try failing("bench unet") {
            (try folder.load(AutoencoderKL.self, "vae"), try folder.load(FaceEncoder.self, "face_encoder"))
        }
        try ModelCompatibility.requireTrainingFit(unet: unet, textEncoder: text, projector: projector, vae: vae,
                                                  faceEncoder: faceEncoder, folder: path)
        let measured = DenoisingError.measure(unet: unet, textEncoder: text, projector: projector, vae: vae,
                                              faceEncoder: faceEncoder, count: count, seed: seed, timesteps: timesteps,
                                              views: views) { done in
            ProgressLine.show("bench unet: \(done)/\(count) renders measured")
        }
        ProgressLine.end()
        let branches = ConditioningBranch.allCases
        let report = Report(
            count: measured.count, seed: seed, timesteps: measured.timesteps,
            mse: Dictionary(uniqueKeysWithValues: branches.map { b in (Self.name(b), measured.cells.map { $0[b.rawValue].all }) }),
            faceMse: Dictionary(uniqueKeysWithValues: branches.map { b in (Self.name(b), measured.cells.map { $0[b.rawValue].face }) }),
            meanMse: Dictionary(uniqueKeysWithValues: branches.map { (Self.name($0), measured.mean($0).all) }),
            meanFaceMse: Dictionary(uniqueKeysWithValues: branches.map { (Self.name($0), measured.mean($0).face) }))
        if json {
            print(try SortedJSON.string(report))
            return
        }
        print("\(measured.count) fresh renders of seed \(seed), model \(path)")
        print("noise-prediction MSE at each timestep, over all latents / weighted towards the face")
        let column = { (text: String) in text.count >= 20 ? text + " " : text.padding(toLength: 20, withPad: " ", startingAt: 0) }
        let cell = { (c: DenoisingError.Cell) in column(String(format: "%.4f / %.4f", c.all, c.face)) }
        print(column("t") + branches.map { column(Self.name($0)) }.joined())
        for (i, t) in measured.timesteps.enumerated() {
            print(column(String(t)) + branches.map { cell(measured.cell(timestep: i, $0)) }.joined())
        }
        print(column("mean of the rows") + branches.map { cell(measured.mean($0)) }.joined())
    }
}
