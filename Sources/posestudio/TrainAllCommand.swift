import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio train all`: the whole default model, end to end, in dependency order.
struct TrainAllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Train every component of the default model in order: vae, face_encoder, judge, unet, pose_head, pose_head_lookahead.",
        discussion: "Every component's settings are checked before the first one trains. <runs>/train-all.md records each "
            + "component's wall time as it finishes, with the run's peak memory; a stopped run resumes each component from "
            + "its checkpoint when started again.")

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
        let record = URL(fileURLWithPath: place.runs).appendingPathComponent("train-all.md")
        // Every component's arguments are checked before the first one trains, so a setting that
        // only a later component refuses costs seconds, not a trained vae.
        let commands = try Self.order.map { component in
            let steps = max(1, Int((Double(component.steps) * stepScale).rounded()))
            do {
                return (component.name, steps, try component.command.parse(["--steps", String(steps)] + component.arguments + place.arguments))
            } catch {
                throw ValidationError("\(component.name) cannot train with these settings: \(component.command.message(for: error))")
            }
        }
        var timings: [(name: String, seconds: Double)] = []
        let started = Date()
        for (name, steps, command) in commands {
            TrainingConsole.note("== train \(name) (\(steps) steps)")
            let componentStart = Date()
            var command = command
            try command.run()
            timings.append((name, Date().timeIntervalSince(componentStart)))
            // Written after every component, so a run that is stopped still says what it finished and when.
            try Self.record(timings, total: Date().timeIntervalSince(started)).write(to: record, options: .atomic)
        }
        TrainingConsole.note("train all: \(TrainingProgress.duration(Date().timeIntervalSince(started))); timings in \(record.path)")
    }

    /// The markdown record of the components trained so far: each one's wall time, the total,
    /// and this process's peak memory (every component trains in it).
    static func record(_ timings: [(name: String, seconds: Double)], total: Double) -> Data {
        var lines = ["# posestudio train all", ""]
        if timings.count < order.count {
            let rest = order.dropFirst(timings.count).map(\.name).joined(separator: ", ")
            lines += ["Stopped or still running: \(timings.count) of \(order.count) components trained; not yet \(rest).", ""]
        }
        lines += ["| component | wall time |", "|---|---|"]
        for (name, seconds) in timings { lines.append("| \(name) | \(TrainingProgress.duration(seconds)) |") }
        lines += ["| total | \(TrainingProgress.duration(total)) |", "",
                  String(format: "Peak memory: %.0f MB.", peakResidentMegabytes()), ""]
        return Data(lines.joined(separator: "\n").utf8)
    }
}
