import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train vae`: the AutoencoderKL, 64x64 RGB <-> 16x16x4 latents.
struct TrainVAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vae", abstract: "Train the VAE (AutoencoderKL).")

    @OptionGroup var options: TrainingOptionGroup

    @Option(help: "Extra weight of the face's pixels in the reconstruction loss (0 weighs every pixel alike).")
    var faceWeight = VAETrainer.defaultFaceWeight

    @Option(help: ArgumentHelp(
        "Weight of the edge term: L1 between the reconstruction's and the render's differences of neighbouring pixels.",
        discussion: """
            Pixel losses let the decoder blur small dark features, such as a photo's eyes, into \
            the skin around them; the edge term asks for their edges back. 0 leaves it out.
            """))
    var edgeWeight: Float = 0

    @Option(help: "Unseen renders the reconstruction error is measured on.")
    var evalImages = 64

    @OptionGroup var start: InitialWeightsOption

    @Flag(help: ArgumentHelp(
        "Train the decoder only, from --init-from's VAE.",
        discussion: """
            The encoder, and so the latents and the scaling factor, stay exactly as they are: a UNet \
            and pose head trained on them stay valid while the decoder learns to draw them better. \
            Its run folder is <runs>/vae_decoder.
            """))
    var decoderOnly = false

    func validate() throws {
        try TrainingOptionGroup.validate(faceWeight: faceWeight)
        guard edgeWeight.isFinite, (0...100).contains(edgeWeight) else { throw ValidationError("--edge-weight must be in [0, 100]") }
        guard evalImages > 0 else { throw ValidationError("--eval-images must be positive") }
        if decoderOnly && start.initFrom == nil { throw ValidationError("--decoder-only needs --init-from, the model whose encoder it keeps") }
    }

    /// The schedule `train all` gives this component (it fits the three hours; the shipped
    /// weights trained longer, as docs/training/README.md lists).
    static let defaultSteps = 1600, defaultBatch = 8

    func run() throws {
        let (steps, batch) = options.schedule(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)
        let vae = try start.load(AutoencoderKL.self, "vae")
            ?? AutoencoderKL(config: DefaultModelConfigs.vae, seed: options.seed)
        let batches = SynthBatches(seed: options.seed, imageSize: vae.config.sampleSize,
                                   identityCount: options.identities, batchSize: batch)
        var trainer = VAETrainer(vae: vae, batches: batches, noiseSeed: options.seed &* 7919, trainsEncoder: !decoderOnly)
        trainer.faceWeights.extra = faceWeight
        trainer.edgeWeight = edgeWeight
        // A decoder-only run keeps its own folder, so it never resumes a full run's checkpoint
        // (whose encoder would differ from the one it promises to keep).
        let component = decoderOnly ? "vae_decoder" : "vae"
        let run = try TrainingRun(
            component: component, directory: URL(fileURLWithPath: options.runs).appendingPathComponent(component),
            modules: [("vae", vae)],
            options: .init(steps: steps, learningRate: 4e-4, warmupSteps: 100, checkpointEvery: 100, emaDecay: nil,
                           provenance: options.provenance(batch: batch)),
            lossColumns: VAETrainer.lossColumns)
        let origin = start.announce(run)
        try TrainingConsole.run(run, preview: { trainer.reconstructionSheet() }) { trainer.step($0) }

        var measurements: [(name: String, value: String)] = []
        if decoderOnly {
            // The UNet was trained on these latents scaled by this factor: it must not move.
            measurements.append(("scaling_factor", String(format: "%.5f (kept: the encoder is frozen)", vae.config.scalingFactor)))
        } else {
            // Scaling factor from renders the training never used.
            vae.config.scalingFactor = trainer.measureScalingFactor(batches: 8, from: steps + 1000)
            measurements.append(("scaling_factor (1 / latent std)", String(format: "%.5f", vae.config.scalingFactor)))
        }
        var heldOutL1 = String(format: "%.4f", trainer.heldOutL1(of: vae, count: evalImages))
        if decoderOnly, let initFrom = start.initFrom {  // validate() makes --decoder-only come with --init-from
            // Measured before saving: --model may be the very folder the run started from.
            let before = trainer.heldOutL1(of: try ModelFolder(initFrom).load(AutoencoderKL.self, "vae"), count: evalImages)
            heldOutL1 += "; the VAE in \(initFrom): " + String(format: "%.4f", before)
        }
        measurements.append(("held-out reconstruction L1 (\(evalImages) unseen renders)", heldOutL1))
        let destination = URL(fileURLWithPath: options.model).appendingPathComponent("vae")
        try vae.save(to: destination, metadata: ["format": "pt", "trained_steps": String(steps)])
        measurements.append(("saved to", destination.path))
        try TrainingConsole.finish(run, batchSize: batch, seed: options.seed,
            measurements: measurements,
            notes: (edgeWeight > 0 ? ["Edge term weight \(edgeWeight) (--edge-weight); face weight \(faceWeight)."] : [])
                + (origin.map { [$0] } ?? []))
    }
}
