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

    /// The run's steps and batch size, the command's defaults where not given; refuses values out of range.
    func schedule(defaultSteps: Int, defaultBatch: Int) throws -> (steps: Int, batch: Int) {
        let steps = self.steps ?? defaultSteps, batch = self.batch ?? defaultBatch
        guard steps > 0 else { throw ValidationError("--steps must be positive") }
        guard (1...1024).contains(batch) else { throw ValidationError("--batch must be between 1 and 1024") }
        guard place.identities > 1 else { throw ValidationError("--identities must be at least 2") }
        return (steps, batch)
    }
}
