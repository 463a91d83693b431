import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train judge`: the pixel-space pose estimator used to measure fidelity,
/// trained on clean renders and measured on renders of a seed it never saw.
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

    @OptionGroup var start: ConvNetworkStartOptions

    func run() throws {
        let (steps, batch) = try options.validate(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)
        guard evalImages > 0 else { throw ValidationError("--eval-images must be positive") }
        let learningRate = try start.learningRate(default: 1e-3)
        let judge = try start.network(PoseJudge.self, "judge", defaultConfig: DefaultModelConfigs.judge, seed: options.seed)
        let batches = SynthBatches(seed: options.seed &+ 400, imageSize: judge.config.imageSize,
                                   identityCount: options.identities, batchSize: batch)
        let trainer = JudgeTrainer(judge: judge, batches: batches)
        let run = try TrainingRun(
            component: "judge", directory: URL(fileURLWithPath: options.runs).appendingPathComponent("judge"),
            modules: [("judge", judge)],
            options: .init(steps: steps, learningRate: learningRate, warmupSteps: 60, checkpointEvery: 100, emaDecay: 0.995),
            lossColumns: JudgeTrainer.lossColumns)
        let origin = start.initial.announce(run)
        try TrainingConsole.run(run) { trainer.step($0) }
        run.useAveragedWeights()
        judge.setRequiresGradient(false)
        let destination = ModelFolder(options.model).componentURL("judge")
        try judge.save(to: destination, metadata: ["format": "pt", "trained_steps": String(steps)])

        let heldOutSeed = options.seed &+ 0x0E7A_0001
        let errors = JudgeTrainer.heldOutErrors(judge: judge, seed: heldOutSeed, identityCount: options.identities, count: evalImages)
        TrainingConsole.note("judge held-out MAE: \(errors.summary)")
        let (m, median) = (errors.mean, errors.medianAngleErrors)
        try TrainingConsole.finish(run, batchSize: batch, seed: options.seed,
            measurements: [
                ("held-out renders", "\(errors.count) fresh renders of seed \(heldOutSeed)"),
                ("MAE pitch (target <= 3 deg)", String(format: "%.2f deg", m.pitch)),
                ("MAE yaw (target <= 3 deg)", String(format: "%.2f deg", m.yaw)),
                ("MAE x (target <= 0.02)", String(format: "%.4f", m.x)),
                ("MAE y (target <= 0.02)", String(format: "%.4f", m.y)),
                ("MAE scale (target <= 0.03)", String(format: "%.4f", m.scale)),
                ("median error, pitch / yaw", String(format: "%.2f / %.2f deg", median.pitch, median.yaw)),
            ] + errors.styles.map { style, errors in
                ("MAE in \(style.rawValue) only (\(errors.count) renders)", errors.summary)
            } + errors.sizes.map { size, errors in
                ("MAE for \(size.label) (\(errors.count) renders)", errors.summary)
            } + [
                ("saved to", destination.path),
            ],
            notes: ["Loss: smooth-L1 on normalised pose, each quantity weighted by the inverse of its accepted error; EMA weights saved. "
                    + "mae_* columns are training-batch errors in DESIGN units."] + (origin.map { [$0] } ?? []))
    }
}
