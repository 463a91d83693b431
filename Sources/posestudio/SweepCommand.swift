import ArgumentParser
import Foundation
import ImageFiles
import PoseEngine

/// `posestudio sweep`: one numeric setting stepped across frames, as a contact sheet.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Render frames stepping one setting from --from to --to; write a contact sheet (and the frames).")

    @Option(help: "The setting to sweep: \(SweepParameter.allCases.map(\.rawValue).joined(separator: ", ")).")
    var param: String
    // Either end may be negative (`--from -60`), so each reads the next argument as its value.
    @Option(parsing: .unconditional, help: "First value.") var from: Float
    @Option(parsing: .unconditional, help: "Last value.") var to: Float
    @Option(parsing: .unconditional, help: "Number of frames (2 to 64).") var frames: Int
    @OptionGroup var options: SettingsOptions
    @Option(help: "The contact sheet PNG to write.") var out: String
    @Option(name: .customLong("frames-dir"), help: "Also write every frame as frame-NNN.png into this folder (frames of an earlier, longer sweep there are removed).")
    var framesDir: String?

    func run() throws {
        guard let parameter = SweepParameter(rawValue: param.lowercased()) else {
            throw ValidationError("unknown --param \"\(param)\": use \(SweepParameter.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let limit = Sweep.frameLimit
        guard limit.contains(frames) else { throw ValidationError("--frames must be between \(limit.lowerBound) and \(limit.upperBound)") }
        let sweep = Sweep(parameter: parameter, from: from, to: to, frames: frames)
        let sessionFile = try options.sessionFile()
        let base = try failing("sweep") { try options.settings(over: sessionFile) }
        var all = sweep.settings(from: base)
        if parameter == .cfgEarly {
            all = try Self.earlyCFGFrames(all, cfgFrom: options.cfgWeights.cfgFrom)
        }
        if let alike = sweep.alikeFrames(from: base) {
            FileHandle.standardError.write(Data("sweep: \(alike)\n".utf8))
        }
        if parameter == .guidancePushLimit, sweep.values.contains(0) {
            let text = "sweep: a guidance push limit of 0 means no limit, so that frame pushes furthest of all\n"
            FileHandle.standardError.write(Data(text.utf8))
        }
        for (value, settings) in zip(sweep.values, all) {
            let problems = settings.problems()
            guard problems.isEmpty else { throw ValidationError("at \(param) = \(value): " + problems.joined(separator: "; ")) }
        }
        try failing("sweep") { try OutputFile.checkWritable(out, fileType: "png") }
        let engine = try failing("sweep") { try options.engine(recorded: sessionFile) }
        if let framesDir { try failing("sweep") { try SweepFramesFolder.prepare(framesDir) } }
        var images: [RGBImage] = []
        for (index, settings) in all.enumerated() {
            let image = try failing("sweep") { try engine.render(settings).image.rgbImage }
            if let framesDir {
                try failing("sweep") { try image.writePNG(to: framesDir + "/" + Sweep.frameFileName(index)) }
            }
            images.append(image)
            ProgressLine.show("\(param) \(sweep.values[index]): frame \(index + 1)/\(frames)")
        }
        ProgressLine.end()
        if let framesDir { try failing("sweep") { try SweepFramesFolder.removeFrames(in: framesDir, from: frames) } }
        try failing("sweep") { try RGBImage.contactSheet(images).writePNG(to: out) }
        FileHandle.standardError.write(Data("wrote \(out)\n".utf8))
    }

    /// A cfg-early sweep's frames: an explicit `--cfg-from` stays (each frame otherwise runs as
    /// the studio's row sets it), unless it leaves no step for the sweep to change.
    static func earlyCFGFrames(_ frames: [StudioSettings], cfgFrom: Int?) throws -> [StudioSettings] {
        // Without --cfg-from, every frame already has noisier steps (StudioSettings.withCFGEarlyScale).
        guard let cfgFrom else { return frames }
        let kept = frames.map { frame -> StudioSettings in
            var s = frame
            s.cfgFrom = cfgFrom
            return s
        }
        if kept.contains(where: \.runsEveryStepInFull) {
            throw ValidationError("--param cfg-early: --cfg-from \(cfgFrom) runs CFG in full on every step, "
                + "so no step takes the early scale; give a --cfg-from below \(StudioSettings.cfgFromEveryStep)")
        }
        return kept
    }
}
