import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train judge`: the pixel-space pose estimator used to measure fidelity, trained on
/// labelled renders (and, with --vae-round-trips, the VAE's decodings of them) and measured on
/// renders of a seed it never saw.
struct TrainJudgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "judge",
        abstract: "Train the judge (pose from decoded RGB images; measurement only, never guidance).")

    @OptionGroup var options: TrainingOptionGroup

    /// The schedule `train all` gives this component (it fits the three hours; the shipped
    /// weights trained longer, as docs/training/README.md lists).
    static let defaultSteps = 2500, defaultBatch = 32

    @Option(help: "Fresh renders of an unseen seed the mean absolute errors are measured on.")
    var evalImages = 1024

    @Option(name: .customLong("vae-round-trips"), help: ArgumentHelp(
        "The share of each batch (0 to 1) the judge reads as the --model VAE's decodings of its renders.",
        discussion: "Generated pictures are VAE decodings, softer than renders; the round trips keep the renders' exact labels. When --model has a VAE, the report measures the held-out renders through it too."))
    var vaeRoundTrips: Float = 0

    @OptionGroup var start: ConvNetworkStartOptions

    func validate() throws {
        guard evalImages > 0 else { throw ValidationError("--eval-images must be positive") }
        guard (0...1).contains(vaeRoundTrips) else { throw ValidationError("--vae-round-trips must be between 0 and 1 (got \(vaeRoundTrips))") }
    }

    /// This command's part of a checkpoint's provenance: the round-trip share and, with round
    /// trips, the VAE it reads decodings of.
    func settings(vae: AutoencoderKL?) -> [String: String] {
        var settings = ["vae_round_trips": String(vaeRoundTrips)]
        if vaeRoundTrips > 0, let vae { settings["vae"] = vae.weightsFingerprint }
        return settings
    }

    func run() throws {
        let (steps, batch) = options.schedule(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)
        let learningRate = start.learningRate(default: 1e-3)
        let judge = try start.network(PoseJudge.self, "judge", defaultConfig: DefaultModelConfigs.judge, seed: options.seed)
        let batches = SynthBatches(seed: options.seed &+ 400, imageSize: judge.config.imageSize,
                                   identityCount: options.identities, batchSize: batch)
        let vae = try decodingVAE(imageSize: judge.config.imageSize)
        var trainer = JudgeTrainer(judge: judge, batches: batches)
        if vaeRoundTrips > 0, let vae { trainer.roundTrips = VAERoundTrips(vae: vae, share: vaeRoundTrips) }
        let run = try TrainingRun(
            component: "judge", directory: URL(fileURLWithPath: options.runs).appendingPathComponent("judge"),
            modules: [("judge", judge)],
            options: .init(steps: steps, learningRate: learningRate, warmupSteps: 60, checkpointEvery: 100, emaDecay: 0.995,
                           provenance: options.provenance(batch: batch, adding: settings(vae: vae))),
            lossColumns: JudgeTrainer.lossColumns)
        let origin = start.initial.announce(run)
        try TrainingConsole.run(run) { trainer.step($0) }
        run.useAveragedWeights()
        judge.setRequiresGradient(false)
        let destination = ModelFolder(options.model).componentURL("judge")
        try judge.save(to: destination, metadata: ["format": "pt", "trained_steps": String(steps)])

        // Measured as saved: the file rounds the weights to its storage precision.
        let saved = try PoseJudge.load(from: destination)
        let heldOutSeed = options.seed &+ 0x0E7A_0001
        let (errors, decoded) = JudgeTrainer.heldOutErrors(judge: saved, seed: heldOutSeed, identityCount: options.identities,
                                                           count: evalImages, alsoThrough: vae)
        TrainingConsole.note("judge held-out MAE: \(errors.summary)")
        if let decoded { TrainingConsole.note("judge held-out MAE on the VAE's decodings: \(decoded.summary)") }
        let (m, median) = (errors.mean, errors.medianAngleErrors)
        var measurements: [(String, String)] = [
            ("held-out renders", "\(errors.count) fresh renders of seed \(heldOutSeed)"),
            ("MAE pitch (target <= 3 deg)", String(format: "%.2f deg", m.pitch)),
            ("MAE yaw (target <= 3 deg)", String(format: "%.2f deg", m.yaw)),
            ("MAE x (target <= 0.02)", String(format: "%.4f", m.x)),
            ("MAE y (target <= 0.02)", String(format: "%.4f", m.y)),
            ("MAE scale (target <= 0.03)", String(format: "%.4f", m.scale)),
            ("median error, pitch / yaw", String(format: "%.2f / %.2f deg", median.pitch, median.yaw)),
        ]
        measurements += errors.styles.map { style, errors in ("MAE in \(style.rawValue) only (\(errors.count) renders)", errors.summary) }
        measurements += errors.sizes.map { size, errors in ("MAE for \(size.label) (\(errors.count) renders)", errors.summary) }
        if let decoded {
            let median = decoded.medianAngleErrors
            measurements.append(("MAE on the same renders through the VAE (encoded, decoded)", decoded.summary))
            measurements.append(("median error through the VAE, pitch / yaw", String(format: "%.2f / %.2f deg", median.pitch, median.yaw)))
        }
        measurements.append(("saved to", destination.path))

        var notes = ["Loss: smooth-L1 on normalised pose, each quantity weighted by the inverse of its accepted error; EMA weights saved. "
                     + "mae_* columns are training-batch errors in DESIGN units."]
        if let trips = trainer.roundTrips {
            notes.append("\(trips.count(of: batch)) of the \(batch) renders of each batch were read as the model's VAE decodings of them "
                         + "(--vae-round-trips \(vaeRoundTrips)); mae_* columns mix both.")
        }
        notes += origin.map { [$0] } ?? []
        try TrainingConsole.finish(run, batchSize: batch, seed: options.seed, measurements: measurements, notes: notes)
    }

    /// The --model folder's VAE, whose decodings are the pictures the judge will measure: needed
    /// for --vae-round-trips, measured through whenever the folder has one.
    private func decodingVAE(imageSize: Int) throws -> AutoencoderKL? {
        let folder = ModelFolder(options.model)
        guard folder.has("vae") else {
            if vaeRoundTrips > 0 {
                throw ValidationError("--vae-round-trips needs a VAE in \(options.model)/vae: copy the model's vae/ folder there, or train into a copy of the model")
            }
            return nil
        }
        let vae: AutoencoderKL
        do {
            vae = try folder.load(AutoencoderKL.self, "vae")
        } catch {
            // Without round trips the VAE only adds a measurement: a bad one costs that, not the run.
            if vaeRoundTrips > 0 { return try failing("train judge") { throw error } }
            TrainingConsole.note("the VAE in \(options.model) cannot be loaded (\(error)): the held-out renders are not measured through it")
            return nil
        }
        if let mismatch = ModelCompatibility.judgeSizeMismatch(judgeImageSize: imageSize, vae: vae.config) {
            if vaeRoundTrips > 0 { throw ValidationError(mismatch) }
            TrainingConsole.note("\(mismatch): the held-out renders are not measured through it")
            return nil
        }
        vae.setRequiresGradient(false)
        return vae
    }
}
