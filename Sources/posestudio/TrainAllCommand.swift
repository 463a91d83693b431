import ArgumentParser
import AtomicFiles
import Foundation
import PoseEngine

/// `posestudio train all`: the whole default model, end to end, in dependency order.
struct TrainAllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Train every component of the default model in order: vae, face_encoder, judge, unet, pose_head, pose_head_lookahead.",
        discussion: "Every component's settings are checked before the first one trains. <runs>/train-all.md is written as "
            + "the run starts and again as each component finishes, with each one's wall time and the run's peak memory; a "
            + "stopped run resumes each component from its checkpoint when started again.")

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
        // Every component's settings are checked before the first one trains, so a setting that
        // only a later component refuses costs seconds, not a trained vae.
        _ = try commands()
    }

    func run() throws {
        let commands = try commands()
        let runs = URL(fileURLWithPath: place.runs)
        let record = runs.appendingPathComponent("train-all.md")
        // Written before the first component and after every one, so a run stopped at any point
        // (Ctrl-C included) leaves a record of what it finished, never an earlier run's.
        var timings: [Timing] = []
        let started = Date()
        try FolderMaker.make(runs)
        try Self.record(timings, total: 0).write(to: record, options: .atomic)
        for component in commands {
            TrainingConsole.note("== train \(component.name) (\(component.steps) steps)")
            let checkpoint = TrainingRun.checkpointURL(in: runs.appendingPathComponent(component.name))
            let resumed = FileManager.default.fileExists(atPath: checkpoint.path)
            let componentStart = Date()
            var command = component.command
            try command.run()
            timings.append(Timing(name: component.name, seconds: Date().timeIntervalSince(componentStart), resumed: resumed))
            try Self.record(timings, total: Date().timeIntervalSince(started)).write(to: record, options: .atomic)
        }
        TrainingConsole.note("train all: \(TrainingProgress.duration(Date().timeIntervalSince(started))); timings in \(record.path)")
    }

    /// Each component's command, parsed (and so validated) with its scaled step count, the shipped
    /// architecture's arguments and the shared place options.
    private func commands() throws -> [(name: String, steps: Int, command: ParsableCommand)] {
        try Self.order.map { component in
            let steps = max(1, Int((Double(component.steps) * stepScale).rounded()))
            do {
                return (component.name, steps, try component.command.parse(["--steps", String(steps)] + component.arguments + place.arguments))
            } catch {
                throw ValidationError("\(component.name) cannot train with these settings: \(component.command.message(for: error))")
            }
        }
    }

    /// One finished component: its wall time in this invocation, and whether it went on from a checkpoint.
    struct Timing {
        var name: String
        var seconds: Double
        var resumed: Bool
    }

    /// The markdown record of the components trained so far: each one's wall time, the total,
    /// and this process's peak memory (every component trains in it).
    static func record(_ timings: [Timing], total: Double) -> Data {
        var lines = ["# posestudio train all", ""]
        if timings.count < order.count {
            let rest = order.dropFirst(timings.count).map(\.name).joined(separator: ", ")
            lines += ["Stopped or still running: \(timings.count) of \(order.count) components trained; not yet \(rest).", ""]
        }
        lines += ["| component | wall time in this run |", "|---|---|"]
        for timing in timings {
            let resumed = timing.resumed ? " (went on from its checkpoint; earlier runs' time not counted)" : ""
            lines.append("| \(timing.name) | \(TrainingProgress.duration(timing.seconds))\(resumed) |")
        }
        lines += ["| total | \(TrainingProgress.duration(total)) |", "",
                  String(format: "Peak memory: %.0f MB.", peakResidentMegabytes()), ""]
        return Data(lines.joined(separator: "\n").utf8)
    }
}
