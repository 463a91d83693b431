import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio` / `posestudio studio`: the interactive studio on a model folder.
struct StudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio",
        abstract: "Open the interactive pose studio (the default command)."
    )

    @Option(help: "The model folder (diffusers layout: unet/, vae/, text_encoder/, ...).")
    var model = "Models/default"

    func run() throws {
        let inventory = ModelInventory(folder: URL(fileURLWithPath: model))
        guard inventory.missing.isEmpty else {
            FileHandle.standardError.write(Data("""
            posestudio: no usable model in \(model): missing \(inventory.missing.joined(separator: ", ")).
            The default model ships in Models/default once it has been trained (posestudio train all);
            another diffusers-layout folder can be named with --model DIR.

            """.utf8))
            throw ExitCode.failure
        }
        FileHandle.standardError.write(Data("""
        posestudio: the model in \(model) is complete, but this build has no terminal front end yet.
        Headless tools available now: posestudio inspect, posestudio dataset, posestudio bench engine.

        """.utf8))
        throw ExitCode.failure
    }
}
