import ArgumentParser
import Foundation
import PoseEngine
import StudioUI

/// `posestudio` / `posestudio studio`: the interactive studio on a model folder.
struct StudioCommand: ParsableCommand, ModelChoice {
    static let configuration = CommandConfiguration(
        commandName: "studio",
        abstract: "Open the interactive pose studio (the default command)."
    )

    @Option(help: ArgumentHelp("The model folder (diffusers layout: unet/, vae/, text_encoder/, ...).", discussion: defaultModelHelp))
    var model: String?

    @Option(help: "A session file to open, or to create when it does not exist yet.")
    var session: String?

    @Option(help: "How pictures are drawn: sixel, blocks (Unicode half blocks) or auto (sixel when the terminal has it, outside tmux).")
    var graphics: GraphicsMode.Choice = .auto

    @Option(help: "Colour theme: a name from Themes/ (default, light, mono8), a .toml file, or auto (light on a terminal whose background is light, else default).")
    var theme = StudioOptions.automaticTheme

    func run() throws {
        let folder = URL(fileURLWithPath: modelPath)
        guard ModelFolder(folder.path).exists else {
            FileHandle.standardError.write(Data("posestudio: \(StudioError.missingModelFolder(path: folder.path).description)\n".utf8))
            throw ExitCode.failure
        }
        let inventory = ModelInventory(folder: folder)
        guard inventory.missing.isEmpty else {
            FileHandle.standardError.write(Data("""
            posestudio: no usable model in \(folder.path): missing \(inventory.missing.joined(separator: ", ")).
            `posestudio train all` trains a model; to use another, \(DefaultModelLocation.howToName).

            """.utf8))
            throw ExitCode.failure
        }
        let models = try StudioModels.load(folder: folder)
        let options = StudioOptions(sessionPath: session, graphics: graphics, themeName: theme)
        do {
            try Studio.run(options, models: models, faceImageLoader: ImageInputFile.load)
        } catch {
            FileHandle.standardError.write(Data("posestudio: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}

extension GraphicsMode.Choice: ExpressibleByArgument {}
