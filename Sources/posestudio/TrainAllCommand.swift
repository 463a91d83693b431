import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train all`: the whole default model, end to end, in dependency order.
struct TrainAllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Train every component of the default model in order: vae, face_encoder, judge, unet, pose_head, pose_head_lookahead.")

    @OptionGroup var place: TrainingPlaceOptions

    @Option(help: "Multiplies every component's default step count (0.01 makes a quick smoke run).")
    var stepScale = 1.0

    /// Each component, the command that trains it, its default step count, and the arguments
    /// that give it the shipped architecture.
    static let order: [(name: String, command: ParsableCommand.Type, steps: Int, arguments: [String])] = [
        ("vae", TrainVAECommand.self, TrainVAECommand.defaultSteps, []),
        ("face_encoder", TrainFaceEncoderCommand.self, TrainFaceEncoderCommand.defaultSteps, []),
        ("judge", TrainJudgeCommand.self, TrainJudgeCommand.defaultSteps, []),
        ("unet", TrainUNetCommand.self, TrainUNetCommand.defaultSteps, []),
        ("pose_head", TrainPoseHeadCommand.self, TrainPoseHeadCommand.defaultSteps, ["--skip-reader-layers", "2"]),
        (StudioModels.lookaheadHeadName, TrainPoseHeadCommand.self, TrainPoseHeadCommand.defaultSteps,
         ["--skip-reader-layers", "2", "--max-timestep", "300"]),
    ]

    func validate() throws {
        guard stepScale > 0, stepScale <= 10 else { throw ValidationError("--step-scale must be in (0, 10]") }
    }

    func run() throws {
        var timings: [(String, Double)] = []
        let started = Date()
        for (name, command, steps, arguments) in Self.order {
            let scaled = max(1, Int((Double(steps) * stepScale).rounded()))
            TrainingConsole.note("== train \(name) (\(scaled) steps)")
            let componentStart = Date()
            var parsed = try command.parse(["--steps", String(scaled)] + arguments + place.arguments)
            try parsed.run()
            timings.append((name, Date().timeIntervalSince(componentStart)))
        }
        let total = Date().timeIntervalSince(started)
        var lines = ["# posestudio train all", "", "| component | wall time |", "|---|---|"]
        for (name, seconds) in timings { lines.append("| \(name) | \(TrainingProgress.duration(seconds)) |") }
        lines += ["| total | \(TrainingProgress.duration(total)) |", ""]
        let url = URL(fileURLWithPath: place.runs).appendingPathComponent("train-all.md")
        try Data(lines.joined(separator: "\n").utf8).write(to: url, options: .atomic)
        TrainingConsole.note("train all: \(TrainingProgress.duration(total)); timings in \(url.path)")
    }
}
