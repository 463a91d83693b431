import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train face_projector`: fits the Face0 projector to a new face encoder, so
/// the encoder can be replaced without retraining the UNet.
struct TrainFaceProjectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "face_projector",
        abstract: "Refit the face projector to --model's face encoder, keeping the tokens the UNet learned.",
        discussion: """
            The UNet reads the tokens --reference's projector makes from --reference's face encoder. After \
            `train face_encoder` has put a better encoder in --model, this trains --model's projector to make \
            those same tokens from the new encoder's embeddings of the same pictures, and refits the \
            distribution seed faces are drawn from. The UNet, text encoder and pose head stay as they are.
            """)

    @OptionGroup var options: TrainingOptionGroup

    static let defaultSteps = 2000, defaultBatch = 128

    @Option(help: "The model folder whose face encoder and projector the UNet was trained with.")
    var reference: String

    @Option(help: "Views of each person embedded by both encoders.")
    var views = 4

    @Option(help: "People of a held-out world the agreement is measured on.")
    var evalIdentities = 500

    func run() throws {
        let (steps, batch) = try options.validate(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)
        guard views >= 1 else { throw ValidationError("--views must be at least 1") }
        guard evalIdentities >= 2 else { throw ValidationError("--eval-identities must be at least 2") }
        let folder = ModelFolder(options.model), source = ModelFolder(reference)
        let encoder = try folder.load(FaceEncoder.self, "face_encoder")
        let oldEncoder = try source.load(FaceEncoder.self, "face_encoder")
        let oldProjector = try source.load(FaceProjector.self, "face_projector")
        guard encoder.config != oldEncoder.config || encoder.weightsFingerprint != oldEncoder.weightsFingerprint else {
            throw ValidationError("\(options.model) and \(reference) hold the same face encoder: there is nothing to refit")
        }
        let projector = try startingProjector(reference: oldProjector, embeddingDim: encoder.embeddingDim)

        // The UNet's training world, and one none of whose people it saw.
        let world = SynthDataset(seed: options.seed &+ 100, imageSize: encoder.config.imageSize, identityCount: options.identities)
        let heldOut = SynthDataset(seed: options.seed &+ 0x0E7A_0002, imageSize: encoder.config.imageSize,
                                   identityCount: evalIdentities)
        TrainingConsole.note("face_projector: embedding \(options.identities) + \(evalIdentities) people x \(views) views with both encoders")
        let (new, old) = (ViewEmbeddings.compute(dataset: world, encoder: encoder, views: views),
                          ViewEmbeddings.compute(dataset: world, encoder: oldEncoder, views: views))
        let (heldOutNew, heldOutOld) = (ViewEmbeddings.compute(dataset: heldOut, encoder: encoder, views: views),
                                        ViewEmbeddings.compute(dataset: heldOut, encoder: oldEncoder, views: views))
        let before = FaceProjectorRefit.agreement(projector: projector, new: heldOutNew, reference: oldProjector, old: heldOutOld)
        let faceDistribution = try FaceEmbeddingDistribution.fit(new.vectors.map(FaceEmbedding.average))

        let refit = FaceProjectorRefit(projector: projector, reference: oldProjector, new: new, old: old,
                                       batchSize: batch, seed: options.seed &* 31)
        let run = try TrainingRun(
            component: "face_projector", directory: URL(fileURLWithPath: options.runs).appendingPathComponent("face_projector"),
            modules: [("face_projector", projector)],
            options: .init(steps: steps, learningRate: 1e-3, warmupSteps: 60, checkpointEvery: 100, emaDecay: 0.995),
            lossColumns: FaceProjectorRefit.lossColumns)
        try TrainingConsole.run(run) { refit.step($0) }
        run.useAveragedWeights()
        projector.setRequiresGradient(false)
        let destination = folder.componentURL("face_projector")
        try projector.save(to: destination, metadata: ["format": "pt", "trained_steps": String(steps)])
        try faceDistribution.save(to: FaceEmbeddingDistribution.url(inModelFolder: folder.url))

        let after = FaceProjectorRefit.agreement(projector: projector, new: heldOutNew, reference: oldProjector, old: heldOutOld)
        func describe(_ a: (relativeError: Float, cosine: Float)) -> String {
            String(format: "%.4f relative error, %.4f cosine", a.relativeError, a.cosine)
        }
        TrainingConsole.note("face_projector held-out agreement: \(describe(before)) before, \(describe(after)) after")
        try TrainingConsole.finish(run, report: TrainingReport(
            component: "face_projector", command: CommandLine.arguments.joined(separator: " "), steps: steps, batchSize: batch,
            seed: options.seed, seconds: run.elapsedSeconds, parameterCount: projector.parameterCount,
            finalLosses: TrainingReport.finalLosses(run.log, columns: FaceProjectorRefit.lossColumns),
            measurements: [
                ("held-out people", "\(evalIdentities) of seed \(options.seed &+ 0x0E7A_0002), \(views) views each, averaged"),
                ("tokens against the reference's, before refitting", describe(before)),
                ("tokens against the reference's, after", describe(after)),
                ("saved to", "\(destination.path) and \(FaceEmbeddingDistribution.fileName)"),
            ],
            notes: ["Relative error: mean squared token error over the variance of the reference's tokens (0 is exact, "
                    + "1 is no better than the mean tokens). Inputs: one to \(views) views of a person averaged, a person's "
                    + "\(views) views, or two people mixed (linear or spherical); reference: \(reference)."]))
    }

    /// The reference projector when its input fits the new encoder, a fresh one of the same shape otherwise.
    private func startingProjector(reference: FaceProjector, embeddingDim: Int) throws -> FaceProjector {
        var config = reference.config
        guard config.embeddingDim != embeddingDim else { return try ModelFolder(self.reference).load(FaceProjector.self, "face_projector") }
        TrainingConsole.note("face_projector: the new encoder's embeddings have \(embeddingDim) numbers, the reference's \(config.embeddingDim); starting from fresh weights")
        config.embeddingDim = embeddingDim
        return try FaceProjector(config: config, seed: options.seed &+ 2)
    }
}
