import ArgumentParser
import Foundation
import ImageFiles
import PoseEngine
import StudioUI

/// `posestudio render`: one image from the settings, headless.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render one image from settings flags (or a --session file) to a PNG and/or sixel.",
        discussion: "The same settings and seed always write the same PNG bytes.")

    @OptionGroup var options: SettingsOptions

    @Option(help: "The PNG file to write.")
    var out: String?

    @Flag(help: "Print the image as sixel to standard output.")
    var sixel = false

    @Flag(help: "Print each step to standard error: its timestep, whether pose guidance acted and its loss, and the pose head's reading.")
    var trace = false

    func validate() throws {
        guard out != nil || sixel else { throw ValidationError("give --out FILE.png, --sixel, or both") }
    }

    func run() throws {
        let sessionFile = try options.sessionFile()
        let settings = try failing("render") { try options.settings(over: sessionFile) }
        if let out { try failing("render") { try OutputFile.checkWritable(out, fileType: "png") } }
        let engine = try failing("render") { try options.engine(recorded: sessionFile) }
        let result = try failing("render") {
            try engine.render(settings) { index, report in
                if trace { FileHandle.standardError.write(Data(Self.traceLine(index, of: settings.steps, report).utf8)) }
            }
        }
        let image = try failing("render") { try result.image.rgbImage }
        if let out { try failing("render") { try image.writePNG(to: out) } }
        if sixel {
            let bytes = try failing("render") { try SixelEncoder.encode(pixels: image.pixels, width: image.width, height: image.height) }
            FileHandle.standardOutput.write(Data(bytes))
        }
        if let estimate = result.estimate, let out {
            FileHandle.standardError.write(Data(String(
                format: "wrote %@ (head estimate: pitch %.1f, yaw %.1f, x %.3f, y %.3f, scale %.3f)\n",
                out, estimate.pitch, estimate.yaw, estimate.x, estimate.y, estimate.scale).utf8))
        }
    }

    /// `step  3/20  t  851  guided loss 0.1234  pitch  12.3  yaw -40.1  x  0.123  y -0.050  scale 0.712`
    static func traceLine(_ index: Int, of steps: Int, _ report: StepReport) -> String {
        let e = report.estimate
        let guidance = report.guidanceLoss.map { String(format: "guided loss %7.4f", $0) } ?? "unguided         "
        return String(format: "step %2d/%d  t %4d  %@  pitch %6.1f  yaw %6.1f  x %6.3f  y %6.3f  scale %5.3f\n",
                      index + 1, steps, report.timestep, guidance, e.pitch, e.yaw, e.x, e.y, e.scale)
    }
}
