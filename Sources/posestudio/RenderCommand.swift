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

    func validate() throws {
        guard out != nil || sixel else { throw ValidationError("give --out FILE.png, --sixel, or both") }
    }

    func run() throws {
        let sessionFile = try options.sessionFile()
        let settings = try options.settings(over: sessionFile)
        let result = try failing("render") { try options.engine(recorded: sessionFile).render(settings) }
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
}
