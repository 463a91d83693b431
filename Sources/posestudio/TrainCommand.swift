import ArgumentParser

/// `posestudio train <component>`: reproduces the default model with PoseStudio's own engine.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a component of the default model (resumes from runs/<component>/checkpoint.safetensors).",
        subcommands: [TrainVAECommand.self, TrainUNetCommand.self, TrainPoseHeadCommand.self,
                      TrainFaceEncoderCommand.self, TrainFaceProjectorCommand.self,
                      TrainJudgeCommand.self, TrainAllCommand.self]
    )
}

/// Where a training run reads its world and writes its results: what `train all` passes on to
/// every component.
struct TrainingPlaceOptions: ParsableArguments {
    @Option(help: "Seed of the synthetic data and of the initial weights.")
    var seed: UInt64 = 1

    @Option(help: "Model folder the trained components are written to.")
    var model = "Models/default"

    @Option(help: "Folder for checkpoints, loss logs, plots and reports (one subfolder per component).")
    var runs = "runs"

    @Option(help: "Distinct identities in the synthetic training world.")
    var identities = 4000

    func validate() throws {
        guard identities > 1 else { throw ValidationError("--identities must be at least 2") }
        for (option, folder) in [("--model", model), ("--runs", runs)] {
            do { try OutputFolder.checkWritable(folder, option: option) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The same options as command-line arguments, for a component's own command.
    var arguments: [String] {
        ["--seed", String(seed), "--model", model, "--runs", runs, "--identities", String(identities)]
    }
}

/// Options every component's training shares: its place, and its schedule.
@dynamicMemberLookup
struct TrainingOptionGroup: ParsableArguments {
    @OptionGroup var place: TrainingPlaceOptions

    @Option(help: "Optimisation steps.")
    var steps: Int?

    @Option(help: "Images per step.")
    var batch: Int?

    /// `options.seed`, `.model`, `.runs` and `.identities` read through to the shared place options.
    subscript<Value>(dynamicMember keyPath: KeyPath<TrainingPlaceOptions, Value>) -> Value {
        place[keyPath: keyPath]
    }

    /// The range `--face-weight` takes, wherever a trainer weighs the face (vae, unet).
    static func validate(faceWeight: Float) throws {
        guard (0...100).contains(faceWeight) else { throw ValidationError("--face-weight must be in [0, 100]") }
    }

    /// A list of loss or sampling weights given on the command line (`--quantity-weights`,
    /// `--style-weights`): one per name, none negative, not all 0. An empty list (not given) passes.
    static func validate(weights: [Float], option: String, names: [String]) throws {
        guard !weights.isEmpty else { return }
        guard weights.count == names.count, weights.allSatisfy({ $0.isFinite && $0 >= 0 }), weights.contains(where: { $0 > 0 }) else {
            throw ValidationError("\(option) takes \(names.count) weights (\(names.joined(separator: ", "))), none negative and "
                                  + "not all 0 (got \(weights.map { "\($0)" }.joined(separator: " ")))")
        }
    }

    /// Only given values need checking: every command's defaults are in range.
    func validate() throws {
        if let steps, steps <= 0 { throw ValidationError("--steps must be positive") }
        if let batch, !(1...1024).contains(batch) { throw ValidationError("--batch must be between 1 and 1024") }
    }

    /// What a checkpoint of the run was made under: what every run's batches follow from beyond
    /// its own options, and the command's own `settings` (its limits, the frozen networks it
    /// learns from). A checkpoint made under other values is not resumed, since the run would go
    /// on with another stream of pictures, or toward other targets.
    func provenance(batch: Int, adding settings: [String: String] = [:]) -> [String: String] {
        ["seed": String(place.seed), "batch": String(batch), "identities": String(place.identities)]
            .merging(settings) { _, _ in fatalError("a command's settings name a key every run records") }
    }

    /// The run's steps and batch size, the command's defaults where not given.
    func schedule(defaultSteps: Int, defaultBatch: Int) -> (steps: Int, batch: Int) {
        (steps ?? defaultSteps, batch ?? defaultBatch)
    }
}
