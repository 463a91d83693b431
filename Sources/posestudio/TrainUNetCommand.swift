import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train unet`: the UNet with the text encoder and the Face0 projector, on VAE latents.
struct TrainUNetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unet",
        abstract: "Train the UNet jointly with the text encoder and face projector (needs vae and face_encoder).")

    @OptionGroup var options: TrainingOptionGroup

    /// The schedule `train all` gives this component (it fits the three hours; the shipped
    /// weights trained longer, as docs/training/README.md lists).
    static let defaultSteps = 4000, defaultBatch = 16

    @Option(help: "Views averaged into each identity's face embedding.")
    var views = 3

    @OptionGroup var start: InitialWeightsOption

    @Option(help: "Extra weight of the face's latents in the noise-prediction loss (0 weighs every latent alike).")
    var faceWeight = DiffusionTrainer.defaultFaceWeight

    func validate() throws {
        try TrainingOptionGroup.validate(faceWeight: faceWeight)
    }

    func run() throws {
        let (steps, batch) = options.schedule(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)
        let folder = ModelFolder(options.model)
        let vae = try folder.load(AutoencoderKL.self, "vae")
        let faceEncoder = try folder.load(FaceEncoder.self, "face_encoder")
        let unet = try start.load(UNet2DConditionModel.self, "unet")
            ?? UNet2DConditionModel(config: DefaultModelConfigs.unet, seed: options.seed)
        let textEncoder = try start.load(TextEncoder.self, "text_encoder")
            ?? TextEncoder(config: DefaultModelConfigs.textEncoder, seed: options.seed &+ 1)
        let projector = try start.load(FaceProjector.self, "face_projector")
            ?? FaceProjector(config: DefaultModelConfigs.faceProjector, seed: options.seed &+ 2)
        try ModelCompatibility.requireTrainingFit(unet: unet, textEncoder: textEncoder, projector: projector, vae: vae,
                                                  faceEncoder: faceEncoder)
        let batches = SynthBatches(seed: options.seed &+ 100, imageSize: vae.config.sampleSize,
                                   identityCount: options.identities, batchSize: batch)
        let runDirectory = URL(fileURLWithPath: options.runs).appendingPathComponent("unet")
        let faces = try IdentityEmbeddingCache.load(
            at: runDirectory.appendingPathComponent("identity_embeddings.safetensors"),
            dataset: batches.dataset, encoder: faceEncoder, views: views, announce: TrainingConsole.note)
        // The faces the projector learns on, for drawing new ones from a seed; fitted before
        // training so that a failure costs seconds, not hours.
        let faceDistribution = try FaceEmbeddingDistribution.fit(faces.vectors)

        var trainer = DiffusionTrainer(unet: unet, textEncoder: textEncoder, projector: projector, vae: vae,
                                       batches: batches, faces: faces, seed: options.seed &* 31)
        trainer.faceWeights.extra = faceWeight
        let run = try TrainingRun(
            component: "unet", directory: runDirectory,
            modules: [("unet", unet), ("text_encoder", textEncoder), ("face_projector", projector)],
            options: .init(steps: steps, learningRate: 3e-4, warmupSteps: 200, checkpointEvery: 100, emaDecay: 0.999,
                           // The latents and the faces it learns on come from these frozen networks.
                           provenance: options.provenance(batch: batch, adding: [
                               "vae": vae.weightsFingerprint, "face_encoder": faceEncoder.weightsFingerprint])),
            lossColumns: DiffusionTrainer.lossColumns)
        let origin = start.announce(run)
        try TrainingConsole.run(run, preview: { trainer.previewSheet() }) { trainer.step($0) }

        run.useAveragedWeights()
        let metadata = ["format": "pt", "trained_steps": String(steps)]
        try unet.save(to: folder.componentURL("unet"), metadata: metadata)
        try textEncoder.save(to: folder.componentURL("text_encoder"), metadata: metadata)
        try projector.save(to: folder.componentURL("face_projector"), metadata: metadata)
        try faceDistribution.save(to: FaceEmbeddingDistribution.url(inModelFolder: folder.url))
        try folder.writeSchedulerConfig()
        try TrainingConsole.finish(run, batchSize: batch, seed: options.seed,
            measurements: [("parameters: unet / text_encoder / face_projector",
                            "\(unet.parameterCount) / \(textEncoder.parameterCount) / \(projector.parameterCount)"),
                           ("saved to", "\(folder.url.path)/{unet,text_encoder,face_projector,scheduler}")],
            notes: ["Face tokens zeroed for 10% of samples, prompt dropped for 15%, independently; EMA decay 0.999.",
                    "face_projector/\(FaceEmbeddingDistribution.fileName): mean and covariance of the \(faces.vectors.count) "
                        + "identity embeddings, from which faces drawn from a seed come."]
                + (origin.map { [$0] } ?? []))
    }
}
