import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train vae`: the AutoencoderKL, 64x64 RGB <-> 16x16x4 latents.
struct TrainVAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vae", abstract: "Train the VAE (AutoencoderKL).")

    @OptionGroup var options: TrainingOptionGroup

    @Option(help: "Extra weight of the face's pixels in the reconstruction loss (0 weighs every pixel alike).")
    var faceWeight = VAETrainer.defaultFaceWeight

    func validate() throws {
        try TrainingOptionGroup.validate(faceWeight: faceWeight)
    }

    /// The schedule the shipped default model was trained with.
    static let defaultSteps = 1600, defaultBatch = 8

    func run() throws {
        let (steps, batch) = try options.validate(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)
        let vae = try AutoencoderKL(config: DefaultModelConfigs.vae, seed: options.seed)
        let batches = SynthBatches(seed: options.seed, imageSize: DefaultModelConfigs.imageSize,
                                   identityCount: options.identities, batchSize: batch)
        var trainer = VAETrainer(vae: vae, batches: batches, noiseSeed: options.seed &* 7919)
        trainer.faceWeights.extra = faceWeight
        let run = try TrainingRun(
            component: "vae", directory: URL(fileURLWithPath: options.runs).appendingPathComponent("vae"),
            modules: [("vae", vae)],
            options: .init(steps: steps, learningRate: 4e-4, warmupSteps: 100, checkpointEvery: 100, emaDecay: nil),
            lossColumns: VAETrainer.lossColumns)
        try TrainingConsole.run(run, preview: { trainer.reconstructionSheet() }) { trainer.step($0) }

        // Scaling factor from renders the training never used.
        let scaling = trainer.measureScalingFactor(batches: 8, from: steps + 1000)
        vae.config.scalingFactor = scaling
        let destination = URL(fileURLWithPath: options.model).appendingPathComponent("vae")
        try vae.save(to: destination, metadata: ["format": "pt", "trained_steps": String(steps)])
        try TrainingConsole.finish(run, report: TrainingReport(
            component: "vae", command: CommandLine.arguments.joined(separator: " "), steps: steps, batchSize: batch,
            seed: options.seed, seconds: run.elapsedSeconds, parameterCount: vae.parameterCount,
            finalLosses: TrainingReport.finalLosses(run.log, columns: VAETrainer.lossColumns),
            measurements: [("scaling_factor (1 / latent std)", String(format: "%.5f", scaling)),
                           ("saved to", destination.path)]))
    }
}
