import ArgumentParser
import Foundation
import ImageFiles
import PoseEngine

/// `posestudio samples`: the same settings under many seeds, as a contact sheet — what a model
/// makes, at a glance.
struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "Render the settings with seeds --seed, --seed+1, ... into a contact sheet (8 per row).")

    @Option(parsing: .unconditional, help: "Number of samples (1 to 256).") var count = 64
    @Flag(name: .customLong("random-faces"),
            help: "Give each sample its own random face (face seed = its seed), unless a face is set.")
    var randomFaces = false
    @Option(name: .customLong("cycle-prompt"),
            help: "Prompts given to the samples in turn (repeatable), in place of --prompt: e.g. one per render style.")
    var cyclePrompts: [String] = []
    @OptionGroup var options: SettingsOptions
    @Option(help: "The contact sheet PNG to write.") var out: String

    func run() throws {
        guard (1...256).contains(count) else { throw ValidationError("--count must be between 1 and 256") }
        let sessionFile = try options.sessionFile()
        let base = try failing("samples") { try options.settings(over: sessionFile) }
        try failing("samples") { try OutputFile.checkWritable(out, fileType: "png") }
        let engine = try failing("samples") { try options.engine(recorded: sessionFile) }
        var images: [RGBImage] = []
        for index in 0..<count {
            var settings = base
            settings.seed = base.seed &+ UInt64(index)
            if randomFaces, settings.face.isNone { settings.face = .random(seed: settings.seed) }
            if !cyclePrompts.isEmpty { settings.prompt = cyclePrompts[index % cyclePrompts.count] }
            images.append(try failing("samples") { try engine.render(settings).image.rgbImage })
            ProgressLine.show("sample \(index + 1)/\(count)")
        }
        ProgressLine.end()
        try failing("samples") { try RGBImage.contactSheet(images).writePNG(to: out) }
        FileHandle.standardError.write(Data("wrote \(out)\n".utf8))
    }
}
