import Foundation
import ImageFiles
import PoseEngine

/// Runs a TrainingRun with a live progress line on standard error, then writes
/// the loss plot and the report next to the checkpoint.
enum TrainingConsole {
    /// `preview`, when given, makes an image (RGB8, width, height) of the model's current
    /// output; it is written as preview.png at every checkpoint so a run can be watched.
    static func run(_ run: TrainingRun, preview: (() -> (pixels: [UInt8], width: Int, height: Int))? = nil,
                    body: (Int) throws -> [String: Float]) throws {
        let interactive = isatty(STDERR_FILENO) != 0
        if let resumed = run.resumedFrom {
            note("\(run.component): resuming from step \(resumed) (\(run.checkpointURL.path))")
            if !run.log.columnsAddedOnResume.isEmpty {
                note("\(run.component): loss.csv gains the columns \(run.log.columnsAddedOnResume.joined(separator: ", ")); its earlier rows leave them empty")
            }
            if !run.log.columnsNoLongerLogged.isEmpty {
                note("\(run.component): loss.csv keeps the columns \(run.log.columnsNoLongerLogged.joined(separator: ", ")) for its earlier rows; this run no longer logs them")
            }
        }
        var lastPrinted = Date.distantPast
        try run.run(progress: { progress in
            let now = Date()
            if interactive {
                FileHandle.standardError.write(Data("\r\u{1B}[2K\(progress.line())".utf8))
            } else if now.timeIntervalSince(lastPrinted) > 30 || progress.step == progress.totalSteps {
                note(progress.line())
                lastPrinted = now
            }
        }, onCheckpoint: { _ in
            guard let preview else { return }
            let image = preview()
            try RGBImage(width: image.width, height: image.height, pixels: image.pixels)
                .writePNG(to: run.directory.appendingPathComponent("preview.png").path)
        }, body: body)
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// Writes the finished run's loss plot and markdown report into its directory.
    static func finish(_ run: TrainingRun, batchSize: Int, seed: UInt64,
                       measurements: [(name: String, value: String)] = [], notes: [String] = []) throws {
        let plotted = run.log.mainColumn
        let series = run.log.series(plotted)
        let plot = LossPlot.render(series)
        var report = TrainingReport(run: run, command: CommandLine.arguments.joined(separator: " "), batchSize: batchSize,
                                    seed: seed, measurements: measurements, notes: notes)
        report.plotAxes = LossPlot.axes(series, quantity: plotted)
        try RGBImage(width: 640, height: 360, pixels: plot).writePNG(to: run.directory.appendingPathComponent("loss.png").path)
        let reportURL = run.directory.appendingPathComponent("report.md")
        try Data(report.markdown.utf8).write(to: reportURL, options: .atomic)
        note("\(run.component): report in \(reportURL.path)")
    }

    /// When `--init-from` was given: says on the console if a checkpoint in --runs overrides it
    /// (the checkpoint wins), and returns the report's line on where the weights truly came from.
    static func announceInitialWeights(_ initFrom: String?, run: TrainingRun) -> String? {
        initFrom.map { source in
            guard let step = run.resumedFrom else { return "Started from the weights in \(source)." }
            note("resuming \(run.checkpointURL.path) at step \(step): --init-from \(source) is not used")
            return "Resumed a checkpoint at step \(step); --init-from \(source) was not used."
        }
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
