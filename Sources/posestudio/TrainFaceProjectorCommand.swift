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
            `train face_encoder` has put a better encoder in --model (a copy of --reference with the same UNet), \
            this trains --model's projector to make those same tokens from the new encoder's embeddings of \
            the same pictures, and refits the distribution seed faces are drawn from. The UNet, text encoder \
            and pose head stay as they are.
            """)

    @OptionGroup var options: TrainingOptionGroup

    static let defaultSteps = 2000, defaultBatch = 128

    @Option(help: "The model folder whose face encoder and projector the UNet was trained with.")
    var reference: String

    @Option(help: "Views of each person embedded by both encoders (train unet averages 3).")
    var views = 3

    @Option(help: "People of a held-out world the agreement is measured on.")
    var evalIdentities = 500

    func validate() throws {
        guard (1...64).contains(views) else { throw ValidationError("--views must be between 1 and 64") }
        guard evalIdentities >= 2 else { throw ValidationError("--eval-identities must be at least 2") }
    }

    func run() throws {
        let (steps, batch) = options.schedule(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)
        let folder = ModelFolder(options.model)
        let pair = try ReferencePair(model: folder, reference: ModelFolder(reference))
        let projector = try FaceProjector(config: pair.projectorConfig(embeddingDim: pair.encoder.embeddingDim), seed: options.seed &+ 2)
        let startsFromReference = projector.config == pair.oldProjector.config
        if startsFromReference { projector.copyParameterValues(from: pair.oldProjector) }

        // Opened before the minutes of embedding, so a checkpoint that does not fit fails at once.
        let run = try TrainingRun(
            component: "face_projector", directory: URL(fileURLWithPath: options.runs).appendingPathComponent("face_projector"),
            modules: [("face_projector", projector)],
            options: .init(steps: steps, learningRate: 1e-3, warmupSteps: 60, checkpointEvery: 100, emaDecay: 0.995,
                           provenance: options.provenance(batch: batch, adding: pair.provenance.merging(["views": String(views)]) { $1 })),
            lossColumns: FaceProjectorRefit.lossColumns)

        // The UNet's training world, and one none of whose people it saw.
        let world = SynthDataset(seed: options.seed &+ 100, imageSize: pair.encoder.config.imageSize, identityCount: options.identities)
        let heldOut = SynthDataset(seed: options.seed &+ 0x0E7A_0002, imageSize: pair.encoder.config.imageSize,
                                   identityCount: evalIdentities)
        TrainingConsole.note("face_projector: embedding \(options.identities) + \(evalIdentities) people x \(views) views with both encoders")
        let (new, old) = (ViewEmbeddings.compute(dataset: world, encoder: pair.encoder, views: views),
                          ViewEmbeddings.compute(dataset: world, encoder: pair.oldEncoder, views: views))
        let (heldOutNew, heldOutOld) = (ViewEmbeddings.compute(dataset: heldOut, encoder: pair.encoder, views: views),
                                        ViewEmbeddings.compute(dataset: heldOut, encoder: pair.oldEncoder, views: views))
        // Without refitting: the reference projector fed the new embeddings, when their sizes allow it.
        let unrefitted = startsFromReference
            ? FaceProjectorRefit.agreement(projector: pair.oldProjector, new: heldOutNew, reference: pair.oldProjector, old: heldOutOld)
            : nil
        let faceDistribution = try FaceEmbeddingDistribution.fit(new.vectors.map(FaceEmbedding.average))

        let refit = FaceProjectorRefit(projector: projector, reference: pair.oldProjector, new: new, old: old,
                                       batchSize: batch, seed: options.seed &* 31)
        try TrainingConsole.run(run) { refit.step($0) }
        run.useAveragedWeights()
        projector.setRequiresGradient(false)
        let destination = folder.componentURL("face_projector")
        try projector.save(to: destination, metadata: ["format": "pt", "trained_steps": String(steps)])
        try faceDistribution.save(to: FaceEmbeddingDistribution.url(inModelFolder: folder.url))

        let after = FaceProjectorRefit.agreement(projector: projector, new: heldOutNew, reference: pair.oldProjector, old: heldOutOld)
        func describe(_ a: (relativeError: Float, cosine: Float)?) -> String {
            a.map { String(format: "%.4f relative error, %.4f cosine", $0.relativeError, $0.cosine) }
                ?? "not comparable (the new embeddings have another size)"
        }
        TrainingConsole.note("face_projector held-out agreement: \(describe(unrefitted)) unrefitted, \(describe(after)) refitted")
        try TrainingConsole.finish(run, batchSize: batch, seed: options.seed,
            measurements: [
                ("held-out people", "\(evalIdentities) of seed \(options.seed &+ 0x0E7A_0002), \(views) views each, averaged"),
                ("tokens against the reference's, reference projector on the new embeddings", describe(unrefitted)),
                ("tokens against the reference's, refitted projector", describe(after)),
                ("saved to", "\(destination.path) and \(FaceEmbeddingDistribution.fileName)"),
            ],
            notes: ["Relative error: mean squared token error over the variance of the reference's tokens (0 is exact, "
                    + "1 is no better than the mean tokens). Inputs: one to \(views) views of a person averaged, a person's "
                    + "\(views) views, or two people mixed (linear or spherical); reference: \(reference)."])
    }
}

/// What a projector refit reads: --model's new face encoder and the --reference pair the UNet was
/// trained with, checked to belong together.
private struct ReferencePair {
    let encoder: FaceEncoder
    let oldEncoder: FaceEncoder
    let oldProjector: FaceProjector
    /// Fingerprints of the frozen networks the refit learns from, for its checkpoint.
    let provenance: [String: String]

    init(model: ModelFolder, reference: ModelFolder) throws {
        encoder = try model.load(FaceEncoder.self, "face_encoder")
        oldEncoder = try reference.load(FaceEncoder.self, "face_encoder")
        oldProjector = try reference.load(FaceProjector.self, "face_projector")
        guard encoder.config != oldEncoder.config || encoder.weightsFingerprint != oldEncoder.weightsFingerprint else {
            throw ValidationError("\(model.url.path) and \(reference.url.path) hold the same face encoder: there is nothing to refit")
        }
        guard oldEncoder.embeddingDim == oldProjector.config.embeddingDim else {
            throw ValidationError("\(reference.url.path)'s face projector takes \(oldProjector.config.embeddingDim) numbers but its face encoder gives \(oldEncoder.embeddingDim): it is not a pair a UNet was trained with")
        }
        // The refit keeps the tokens the reference's UNet learned: --model must hold that UNet.
        let unet = try model.load(UNet2DConditionModel.self, "unet")
        let oldUNet = try reference.load(UNet2DConditionModel.self, "unet")
        guard unet.config == oldUNet.config && unet.weightsFingerprint == oldUNet.weightsFingerprint else {
            throw ValidationError("\(model.url.path)'s UNet is not \(reference.url.path)'s: the projector is refitted to the tokens the reference's UNet learned, so --model must be a copy of --reference with only its face encoder replaced")
        }
        provenance = ["face_encoder": encoder.weightsFingerprint, "reference_face_encoder": oldEncoder.weightsFingerprint,
                      "reference_face_projector": oldProjector.weightsFingerprint]
    }

    /// The reference projector's shape, taking the new encoder's embedding size.
    func projectorConfig(embeddingDim: Int) -> FaceProjectorConfig {
        var config = oldProjector.config
        config.embeddingDim = embeddingDim
        return config
    }
}
