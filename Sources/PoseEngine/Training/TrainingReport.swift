import Foundation

/// The short markdown report written next to a finished run.
public struct TrainingReport: Sendable {
    public var component: String
    public var command: String
    public var steps: Int
    public var batchSize: Int
    public var seed: UInt64
    public var seconds: Double
    public var parameterCount: Int
    public var finalLosses: [String: Double]
    public var measurements: [(name: String, value: String)]
    public var notes: [String]
    /// What loss.png's axes show (see LossPlot.axes).
    public var plotAxes: String?

    public init(component: String, command: String, steps: Int, batchSize: Int, seed: UInt64, seconds: Double,
                parameterCount: Int, finalLosses: [String: Double], measurements: [(name: String, value: String)] = [],
                notes: [String] = []) {
        self.component = component
        self.command = command
        self.steps = steps
        self.batchSize = batchSize
        self.seed = seed
        self.seconds = seconds
        self.parameterCount = parameterCount
        self.finalLosses = finalLosses
        self.measurements = measurements
        self.notes = notes
    }

    /// The report on a finished run: its component, step count, time, parameter count and final
    /// losses are the run's own.
    public init(run: TrainingRun, command: String, batchSize: Int, seed: UInt64,
                measurements: [(name: String, value: String)] = [], notes: [String] = []) {
        self.init(component: run.component, command: command, steps: run.options.steps, batchSize: batchSize, seed: seed,
                  seconds: run.elapsedSeconds, parameterCount: run.parameterCount,
                  finalLosses: Self.finalLosses(run.log, columns: run.lossColumns), measurements: measurements, notes: notes)
    }

    /// Mean of each loss column over the last `window` logged steps.
    public static func finalLosses(_ log: LossLog, columns: [String], window: Int = 100) -> [String: Double] {
        var out: [String: Double] = [:]
        for column in columns {
            let tail = log.series(column).suffix(window).map(\.value)
            if !tail.isEmpty { out[column] = tail.reduce(0, +) / Double(tail.count) }
        }
        return out
    }

    public var markdown: String {
        var lines = [
            "# Training report: \(component)", "",
            "- command: `\(command)`",
            "- steps: \(steps), batch \(batchSize), seed \(seed)",
            "- parameters: \(parameterCount)",
            "- training time: \(TrainingProgress.duration(seconds)) (\(String(format: "%.0f", seconds)) s of steps on this machine)",
            "", "## Final losses (mean of the last 100 steps)", "",
            "| loss | value |", "|---|---|",
        ]
        for key in finalLosses.keys.sorted() { lines.append("| \(key) | \(String(format: "%.5g", finalLosses[key] ?? .nan)) |") }
        if !measurements.isEmpty {
            lines += ["", "## Measurements", "", "| measurement | value |", "|---|---|"]
            for m in measurements { lines.append("| \(m.name) | \(m.value) |") }
        }
        if !notes.isEmpty { lines += [""] + notes }
        lines += ["", "Loss curve: `loss.png`" + (plotAxes.map { " (\($0))" } ?? "") + "; per-step values: `loss.csv`."]
        return lines.joined(separator: "\n") + "\n"
    }
}
