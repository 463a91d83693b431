import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train pose_head`: the Mid-U readout head on the frozen base model.
struct TrainPoseHeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pose_head",
        abstract: "Train the Mid-U readout head on down-path features (needs vae, face_encoder, unet, text_encoder, face_projector).")

    @OptionGroup var options: TrainingOptionGroup
    @OptionGroup var start: InitialWeightsOption
    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Skips of the UNet's down path a new head reads besides the mid block (default: "
                               + "each down block's output above the mid block's side; 1 3 for the default UNet).",
                               discussion: "Indices into the skips in the order the down path makes them: 0 is conv_in's "
                                   + "output, then each down block's layers and its downsampler. For the default UNet: "
                                   + "0, 1: 64 channels at 16x16; 2: 64 at 8x8; 3: 128 at 8x8 (after cross-attention); "
                                   + "4, 5: 128 at 4x4."))
    var readSkips: [Int] = []
    @Flag(help: "A new head reads the mid block alone.") var midBlockOnly = false
    @Option(help: ArgumentHelp(
        "3x3 convolutions each skip of a new head passes through at its own side (default 0).",
        discussion: "Without them a skip reaches the head only through a linear patch projection onto the mid block's side."))
    var skipReaderLayers: Int?
    @Option(help: ArgumentHelp(
        "Channels of a new head's bottleneck, where the mid block and the skips meet (default 64).",
        discussion: "A multiple of the head's 8 norm groups. Guidance runs the head at the mid block's side, "
            + "so a wider bottleneck costs little sampling time."))
    var bottleneckChannels: Int?
    @Option(help: "Width of the hidden layer of a new head's final MLP (default 128).")
    var hiddenDim: Int?
    @Option(help: ArgumentHelp(
        "Train a head for readings ahead alone, on timesteps below this one (default: the main head, on all \(DiffusionTrainer.trainTimesteps)).",
        discussion: "Guidance with --guidance-lookahead T, T below this timestep, reads only latents at or below T, "
            + "and the noisier ones would take the head's capacity for nothing. The head is saved as "
            + "\(StudioModels.lookaheadHeadName)/ beside pose_head/, with max_timestep in its config, and reads ahead "
            + "in place of pose_head for such lookaheads. --init-from continues the folder's \(StudioModels.lookaheadHeadName)/, "
            + "or its pose_head/ when it has none."))
    var maxTimestep: Int?
    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Weights of pitch, yaw, x, y and scale in the squared-error loss (default: 1 each).",
        discussion: "The errors are of normalised quantities; a larger weight spends more of the head on that quantity."))
    var quantityWeights: [Float] = []
    @Option(help: ArgumentHelp(
        "Share of each batch read as guidance reading ahead shows the head a latent (0 to 1, default 0).",
        discussion: "Such a row is a render's latent noised to a timestep above the row's, predicted clean by the UNet and "
            + "noised again to the row's timestep with the predicted noise, as --guidance-lookahead reads: a blurrier latent "
            + "than a render's, which the head otherwise never meets before it guides. Each such row costs a full UNet pass."))
    var readingsAheadShare: Float?
    @Option(help: ArgumentHelp(
        "Also read each row after a push toward a decoy pose of this RMS per latent element, and train the head to read the row's own pose there (0 to 1, default 0).",
        discussion: "The push is one step along the gradient that pulls the head's reading toward another row's pose, "
            + "as guidance pushes (a guided step moves the latent by an RMS of up to about 0.05 to 0.15); the head learns "
            + "that such a push alone does not turn a head. Each step costs a down-path pass forward and back more, and "
            + "reads twice the rows; the loss log gives the pushed rows' loss as pushed_loss."))
    var decoyPush: Float?

    /// The timestep guidance reads ahead to by default, where the report measures readings ahead.
    static let readingAheadTimestep = StudioSettings().guidanceLookahead

    func validate() throws {
        if midBlockOnly && !readSkips.isEmpty { throw ValidationError("--mid-block-only and --read-skips contradict each other") }
        if let skipReaderLayers, !(0...PoseReadoutHeadConfig.maximumReaderLayers).contains(skipReaderLayers) {
            throw ValidationError("--skip-reader-layers must be 0 to \(PoseReadoutHeadConfig.maximumReaderLayers), not \(skipReaderLayers)")
        }
        for (name, width) in [("--bottleneck-channels", bottleneckChannels), ("--hidden-dim", hiddenDim)] {
            if let width, !(1...ModelConfigLimits.maximumChannels).contains(width) {
                throw ValidationError("\(name) must be 1 to \(ModelConfigLimits.maximumChannels), not \(width)")
            }
        }
        let groups = PoseReadoutHeadConfig(inChannels: 8, featureSize: 1).normNumGroups
        if let bottleneckChannels, bottleneckChannels % groups != 0 {
            throw ValidationError("--bottleneck-channels must be a multiple of the head's \(groups) norm groups, not \(bottleneckChannels)")
        }
        if let maxTimestep, !(1...DiffusionTrainer.trainTimesteps).contains(maxTimestep) {
            throw ValidationError("--max-timestep must be 1 to \(DiffusionTrainer.trainTimesteps), not \(maxTimestep)")
        }
        if let readingsAheadShare, !(0...1).contains(readingsAheadShare) {
            throw ValidationError("--readings-ahead-share must be 0 to 1, not \(readingsAheadShare)")
        }
        if let decoyPush, !(0...1).contains(decoyPush) {
            throw ValidationError("--decoy-push must be 0 to 1, not \(decoyPush)")
        }
        try TrainingOptionGroup.validate(weights: quantityWeights, option: "--quantity-weights", names: PoseValues.names)
    }

    /// The skips a new head reads, or nil when the command line leaves it to the defaults.
    var chosenSkips: [Int]? {
        midBlockOnly ? [] : (readSkips.isEmpty ? nil : readSkips)
    }

    /// The folder the trained head goes to: a head trained below --max-timestep is for readings ahead.
    var component: String { maxTimestep == nil ? "pose_head" : StudioModels.lookaheadHeadName }

    /// The --init-from folder's head this run continues.
    var startingComponent: String {
        guard let initFrom = start.initFrom, ModelFolder(initFrom).has(component) else { return "pose_head" }
        return component
    }

    /// The schedule `train all` gives this component (it fits the three hours; the shipped
    /// weights trained longer, as docs/training/README.md lists).
    static let defaultSteps = 1500, defaultBatch = 16

    /// This command's part of a checkpoint's provenance: its limits, and the networks it reads.
    func settings(unet: UNet2DConditionModel, vae: AutoencoderKL) -> [String: String] {
        // It learns to read this UNet's features of this VAE's latents.
        var settings = ["unet": unet.weightsFingerprint, "vae": vae.weightsFingerprint]
        if let maxTimestep { settings["max_timestep"] = String(maxTimestep) }
        // Recorded for every run, so a resume without the share or push of a run with one is refused too.
        settings["readings_ahead_share"] = String(readingsAheadShare ?? 0)
        settings["decoy_push"] = String(decoyPush ?? 0)
        return settings
    }

    func run() throws {
        let (steps, batch) = options.schedule(defaultSteps: Self.defaultSteps, defaultBatch: Self.defaultBatch)
        if let decoyPush, decoyPush > 0, batch < 2 {
            throw ValidationError("--decoy-push pushes each row toward another row's pose, so it needs --batch 2 or more, not \(batch)")
        }
        let folder = ModelFolder(options.model)
        let vae = try folder.load(AutoencoderKL.self, "vae")
        let faceEncoder = try folder.load(FaceEncoder.self, "face_encoder")
        let unet = try folder.load(UNet2DConditionModel.self, "unet")
        let textEncoder = try folder.load(TextEncoder.self, "text_encoder")
        let projector = try folder.load(FaceProjector.self, "face_projector")
        let started = try start.load(PoseReadoutHead.self, startingComponent)
        let skipCount = unet.config.skipShapes.count
        if let missing = chosenSkips?.first(where: { !(0..<skipCount).contains($0) }) {
            throw ValidationError("--read-skips \(missing): the UNet in \(options.model) has skips 0 to \(skipCount - 1)")
        }
        if let started, let chosenSkips, Set(started.config.skipReads.map(\.index)) != Set(chosenSkips) {
            throw ValidationError("the --init-from head reads skips \(started.config.skipReads.map(\.index)), not \(chosenSkips); "
                                  + "drop --read-skips or --mid-block-only to continue it")
        }
        // A continued head keeps its own architecture: a width or depth asked otherwise is refused by name.
        let asked: [(key: String, option: String, asked: Int?, has: Int?)] = [
            ("skip_reader_layers", "--skip-reader-layers", skipReaderLayers, started?.config.readerLayers),
            ("bottleneck_channels", "--bottleneck-channels", bottleneckChannels, started?.config.bottleneckChannels),
            ("hidden_dim", "--hidden-dim", hiddenDim, started?.config.hiddenDim)]
        if let clash = asked.first(where: { $0.asked != nil && $0.has != nil && $0.asked != $0.has }),
           let value = clash.asked, let has = clash.has {
            throw ValidationError("the --init-from head has \(clash.key) \(has), not \(value); drop \(clash.option) to continue it")
        }
        let skips = chosenSkips ?? unet.config.blockOutputSkips
        var newConfig = PoseReadoutHeadConfig(readingMidBlockOf: unet.config, skips: skips, readerLayers: skipReaderLayers ?? 0)
        if let bottleneckChannels { newConfig.bottleneckChannels = bottleneckChannels }
        if let hiddenDim { newConfig.hiddenDim = hiddenDim }
        let head = try started ?? PoseReadoutHead(config: newConfig, seed: options.seed)
        let problems = ModelCompatibility.problems(unet: unet.config, vae: vae.config, textEncoder: textEncoder.config,
                                                   faceProjector: projector.config, faceEncoder: faceEncoder.config, forTraining: true)
            + ModelCompatibility.poseHeadProblems(head.config, named: component, unet: unet.config)
        guard problems.isEmpty else {
            throw ValidationError("the pose head does not fit the model in \(options.model): " + problems.joined(separator: "; "))
        }
        let measured = [("guidance_gains", head.config.guidanceGains.map { "\($0)" }),
                        ("guidance_calibration", head.config.guidanceCalibration.map { "\($0)" })]
            .compactMap { name, value in value.map { "\(name) \($0)" } }
        if !measured.isEmpty {
            TrainingConsole.note("""
                note: the starting head's \(measured.joined(separator: " and ")) were measured for its old weights; \
                the trained head is saved without them (measure again with bench fidelity)
                """)
            head.dropGuidanceMeasurements()
        }
        let batches = SynthBatches(seed: options.seed &+ 200, imageSize: vae.config.sampleSize,
                                   identityCount: options.identities, batchSize: batch)
        let runDirectory = URL(fileURLWithPath: options.runs).appendingPathComponent(component)
        let faces = try IdentityEmbeddingCache.load(at: runDirectory.appendingPathComponent("identity_embeddings.safetensors"),
                                                    dataset: batches.dataset, encoder: faceEncoder, views: 3,
                                                    announce: TrainingConsole.note)
        var trainer = PoseHeadTrainer(head: head, unet: unet, textEncoder: textEncoder, projector: projector, vae: vae,
                                      batches: batches, faces: faces, seed: options.seed &* 17)
        if !quantityWeights.isEmpty { trainer.quantityWeights = quantityWeights }
        if let maxTimestep { trainer.timestepLimit = maxTimestep }
        if let readingsAheadShare { trainer.readingsAheadShare = readingsAheadShare }
        if let decoyPush { trainer.decoyPush = decoyPush }
        let run = try TrainingRun(
            component: component, directory: runDirectory, modules: [("pose_head", head)],
            options: .init(steps: steps, learningRate: 1e-3, warmupSteps: 100, checkpointEvery: 100, emaDecay: nil,
                           provenance: options.provenance(batch: batch, adding: settings(unet: unet, vae: vae))),
            lossColumns: trainer.lossColumns)
        let origin = start.announce(run)
        try TrainingConsole.run(run) { trainer.step($0) }
        // After the run: the limit is the checkpoint's provenance, so a resume with another one is refused by name.
        head.setMaxTimestep(maxTimestep)
        try head.save(to: folder.componentURL(component), metadata: ["format": "pt", "trained_steps": String(steps)])

        // Held-out batches (indices past anything trained on), at low noise, at the lookahead
        // guidance reads at, and at middle noise; then read ahead to that lookahead, as guidance
        // reads, from a middle and a high timestep.
        var measurements: [(name: String, value: String)] = []
        let heldOut = (steps + 1000)..<(steps + 1008)
        func measure(_ name: String, _ mae: PoseValues) {
            let text = String(format: "pitch %.2f deg, yaw %.2f deg, x %.3f, y %.3f, scale %.3f", mae.pitch, mae.yaw, mae.x, mae.y, mae.scale)
            measurements.append((name, text))
            TrainingConsole.note("\(component) \(name): \(text)")
        }
        /// What the head read at `t`, marked when it did not train there.
        func heldOutRenders(at t: Int) -> String {
            (maxTimestep.map { t >= $0 } ?? false) ? "held-out renders; a timestep it did not train on" : "held-out renders"
        }
        for t in [50, Self.readingAheadTimestep, 500] {
            measure("MAE at t = \(t) (\(heldOutRenders(at: t)))", trainer.meanAbsoluteError(timestep: t, batches: heldOut))
        }
        let ahead = Self.readingAheadTimestep
        for from in [500, 900] {
            measure("MAE reading ahead to t = \(ahead) from t = \(from) (\(heldOutRenders(at: ahead)))",
                    trainer.meanAbsoluteError(timestep: ahead, aheadFrom: from, batches: heldOut))
        }
        var notes = origin.map { [$0] } ?? []
        if !quantityWeights.isEmpty {
            notes.append("Loss weights of pitch, yaw, x, y, scale: \(quantityWeights.map { "\($0)" }.joined(separator: ", ")) (--quantity-weights).")
        }
        if let readingsAheadShare, readingsAheadShare > 0 {
            notes.append("A share of \(readingsAheadShare) of each batch was read ahead (--readings-ahead-share): the UNet's "
                         + "predicted clean latent from a noisier timestep, noised again to the row's timestep with the predicted noise.")
        }
        if let decoyPush, decoyPush > 0 {
            notes.append("Each row was also read after a push of RMS \(decoyPush) per latent element toward another row's pose "
                         + "(--decoy-push), as guidance pushes, and trained to read its own pose there.")
        }
        if let maxTimestep {
            notes.append("Trained on timesteps below \(maxTimestep) only (--max-timestep) and saved as \(component)/: "
                         + "guidance reading ahead to a timestep below \(maxTimestep) (--guidance-lookahead) reads with it.")
        }
        try TrainingConsole.finish(run, batchSize: batch, seed: options.seed, measurements: measurements, notes: notes)
    }
}
