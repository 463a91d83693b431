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

    /// The schedule the shipped default model was trained with.
    static let defaultSteps = 2500, defaultBatch = 32

    @Option(help: "Fresh renders of an unseen seed the mean absolute errors are measured on.")
    var evalImages = 1024

    @OptionGroup var start: InitialWeightsOption

    @Option(help: ArgumentHelp(
        "Convolutions per resolution (default: the --init-from judge's, else the default model's).",
        discussion: "More than the --init-from judge has adds residual units that start as identities: training goes on from what it had learned, with more capacity."))
    var layersPerBlock: Int?

    @Option(help: "Peak learning rate (after 60 warm-up steps, then cosine to zero); a lower one suits continuing a trained judge.")
    var learningRate: Float = 1e-3

    func run() throws {
        let (steps, batch) = try options.validate(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)
        guard evalImages > 0 else { throw ValidationError("--eval-images must be positive") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive") }
        let judge = try startingJudge()
        let batches = SynthBatches(seed: options.seed &+ 400, imageSize: judge.config.imageSize,
                                   identityCount: options.identities, batchSize: batch)
        let trainer = JudgeTrainer(judge: judge, batches: batches)
        let run = try TrainingRun(
            component: "judge", directory: URL(fileURLWithPath: options.runs).appendingPathComponent("judge"),
            modules: [("judge", judge)],
            options: .init(steps: steps, learningRate: learningRate, warmupSteps: 60, checkpointEvery: 100, emaDecay: 0.995),
            lossColumns: JudgeTrainer.lossColumns)
        let origin = start.announce(run)
        try TrainingConsole.run(run) { trainer.step($0) }
        run.useAveragedWeights()
        judge.setRequiresGradient(false)
        let destination = ModelFolder(options.model).componentURL("judge")
        try judge.save(to: destination, metadata: ["format": "pt", "trained_steps": String(steps)])

        let heldOutSeed = options.seed &+ 0x0E7A_0001
        let errors = JudgeTrainer.heldOutErrors(judge: judge, seed: heldOutSeed, identityCount: options.identities, count: evalImages)
        TrainingConsole.note("judge held-out MAE: \(errors.summary)")
        let m = errors.mean
        try TrainingConsole.finish(run, report: TrainingReport(
            component: "judge", command: CommandLine.arguments.joined(separator: " "), steps: steps, batchSize: batch,
            seed: options.seed, seconds: run.elapsedSeconds, parameterCount: judge.parameterCount,
            finalLosses: TrainingReport.finalLosses(run.log, columns: JudgeTrainer.lossColumns),
            measurements: [
                ("held-out renders", "\(errors.count) fresh renders of seed \(heldOutSeed)"),
                ("MAE pitch (target <= 3 deg)", String(format: "%.2f deg", m.pitch)),
                ("MAE yaw (target <= 3 deg)", String(format: "%.2f deg", m.yaw)),
                ("MAE x (target <= 0.02)", String(format: "%.4f", m.x)),
                ("MAE y (target <= 0.02)", String(format: "%.4f", m.y)),
                ("MAE scale (target <= 0.03)", String(format: "%.4f", m.scale)),
            ] + errors.styles.map { style, errors in
                ("MAE in \(style.rawValue) only (\(errors.count) renders)", errors.summary)
            } + [
                ("saved to", destination.path),
            ],
            notes: ["Loss: smooth-L1 on normalised pose, each quantity weighted by the inverse of its accepted error; EMA weights saved. "
                    + "mae_* columns are training-batch errors in DESIGN units."] + (origin.map { [$0] } ?? [])))
    }

    /// The --init-from judge, deepened when --layers-per-block asks for more, or a fresh one.
    private func startingJudge() throws -> PoseJudge {
        guard let trained = try start.load(PoseJudge.self, "judge") else {
            var config = DefaultModelConfigs.judge
            if let layersPerBlock { config.layersPerBlock = layersPerBlock }
            guard config.layersPerBlock >= 1 else { throw ValidationError("--layers-per-block must be at least 1") }
            return try PoseJudge(config: config, seed: options.seed)
        }
        guard let layersPerBlock, layersPerBlock != trained.config.layersPerBlock else { return trained }
        guard layersPerBlock > trained.config.layersPerBlock else {
            throw ValidationError("--layers-per-block \(layersPerBlock) is fewer than the --init-from judge's \(trained.config.layersPerBlock); a judge can be deepened, not cut")
        }
        TrainingConsole.note("deepened the --init-from judge to \(layersPerBlock) layers per block; the new residual units start as identities")
        return try trained.deepened(toLayersPerBlock: layersPerBlock)
    }
}
