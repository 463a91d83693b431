import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train face_encoder`: the identity embedding CNN, trained contrastively
/// on identity-balanced batches and measured by ROC AUC on people it never saw.
struct TrainFaceEncoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "face_encoder",
        abstract: "Train the face encoder (identity embeddings; supervised contrastive loss).")

    @OptionGroup var options: TrainingOptionGroup

    /// The schedule `train all` gives this component (it fits the three hours; the shipped
    /// weights trained longer, as docs/training/README.md lists).
    static let defaultSteps = 1800, defaultBatch = 48

    @Option(help: "Views of each person per batch (--batch must be a multiple of it).")
    var views = 4

    @Option(help: "Softmax temperature of the contrastive loss.")
    var temperature: Float = 0.1

    @Option(parsing: .upToNextOption,
            help: "How often training views are drawn in each style: photo, cartoon, sketch, painting (e.g. 1 1 2 1 draws sketches twice as often; every style equally often if not given).")
    var styleWeights: [Float] = []

    @Option(help: "People of the held-out world the ROC AUC is measured on.")
    var evalIdentities = 200

    @OptionGroup var start: ConvNetworkStartOptions

    func validate() throws {
        let batch = options.schedule(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch).batch
        guard views >= 2, batch % views == 0, batch / views >= 2 else {
            throw ValidationError("--batch must hold at least two people of --views (>= 2) views each: use a multiple of --views")
        }
        guard batch / views <= options.identities else {
            throw ValidationError("--batch \(batch) / --views \(views) is \(batch / views) people per batch, more than --identities \(options.identities)")
        }
        guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be positive") }
        guard evalIdentities >= 2 else { throw ValidationError("--eval-identities must be at least 2") }
        try TrainingOptionGroup.validate(weights: styleWeights, option: "--style-weights", names: RenderStyle.allCases.map(\.rawValue))
    }

    func run() throws {
        let (steps, batch) = options.schedule(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)

        let learningRate = start.learningRate(default: 2e-3)
        let encoder = try start.network(FaceEncoder.self, "face_encoder", defaultConfig: DefaultModelConfigs.faceEncoder,
                                        seed: options.seed)
        let dataset = SynthDataset(seed: options.seed &+ 300, imageSize: encoder.config.imageSize,
                                   identityCount: options.identities)
        var trainer = FaceEncoderTrainer(encoder: encoder, dataset: dataset, identitiesPerBatch: batch / views,
                                         viewsPerIdentity: views, seed: options.seed &* 31)
        trainer.loss = SupervisedContrastiveLoss(temperature: temperature)
        if !styleWeights.isEmpty { trainer.styleWeights = styleWeights }
        let run = try TrainingRun(
            component: "face_encoder", directory: URL(fileURLWithPath: options.runs).appendingPathComponent("face_encoder"),
            modules: [("face_encoder", encoder)],
            options: .init(steps: steps, learningRate: learningRate, warmupSteps: 60, checkpointEvery: 100, emaDecay: 0.995,
                           provenance: options.provenance(batch: batch)),
            lossColumns: FaceEncoderTrainer.lossColumns)
        let origin = start.initial.announce(run)
        try TrainingConsole.run(run) { trainer.step($0) }
        run.useAveragedWeights()
        encoder.setRequiresGradient(false)
        let destination = ModelFolder(options.model).componentURL("face_encoder")
        try encoder.save(to: destination, metadata: ["format": "pt", "trained_steps": String(steps)])

        // People of another seed: none of them was ever in a training batch.
        let heldOutSeed = options.seed &+ 0x0E7A_0000
        let scores = FaceEncoderTrainer.heldOutScores(encoder: encoder, seed: heldOutSeed, identities: evalIdentities, views: 4)
        let auc = Self.format(scores.rocArea)
        TrainingConsole.note("face_encoder held-out ROC AUC \(auc)")
        // The same people drawn in fewer styles: sketches carry no colour, so they show where identity is hardest.
        let breakdown: [(name: String, styles: [RenderStyle])] =
            RenderStyle.allCases.map { ("\($0.rawValue) only", [$0]) } + [("photo, cartoon and painting", [.photo, .cartoon, .painting])]
        let styleMeasurements = breakdown.map { entry in
            let area = Self.format(FaceEncoderTrainer.heldOutScores(encoder: encoder, seed: heldOutSeed, identities: evalIdentities,
                                                                    views: 4, styles: entry.styles).rocArea)
            TrainingConsole.note("face_encoder held-out ROC AUC, \(entry.name): \(area)")
            return (name: "ROC AUC, views in \(entry.name)", value: area)
        }
        try TrainingConsole.finish(run, batchSize: batch, seed: options.seed,
            measurements: [
                ("ROC AUC, same vs different identity (held-out world, seed \(heldOutSeed))", auc),
                ("held-out pairs", "\(scores.sameIdentity.count) same, \(scores.differentIdentity.count) different "
                    + "(\(evalIdentities) people x 4 random views)"),
                ("mean cosine, same / different identity", String(format: "%.3f / %.3f", scores.meanSame, scores.meanDifferent)),
            ] + styleMeasurements + [("saved to", destination.path)],
            notes: ["Batches: \(batch / views) people x \(views) views, each view with its own random pose, expression, "
                    + "style, background and light; supervised contrastive loss at temperature \(temperature); EMA weights saved."]
                + styleNote + (origin.map { [$0] } ?? []))
    }

    private var styleNote: [String] {
        guard !styleWeights.isEmpty else { return [] }
        let weights = zip(RenderStyle.allCases, styleWeights).map { "\($0.rawValue) \($1)" }.joined(separator: ", ")
        return ["Views drawn in each style in proportion to \(weights) (--style-weights); held-out views in every style equally often."]
    }

    private static func format(_ area: Double?) -> String { area.map { String(format: "%.4f", $0) } ?? "undefined" }
}
