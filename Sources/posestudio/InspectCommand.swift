import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio inspect FILE.safetensors`: what a weights file holds, after
/// the same validation every load goes through.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the tensors (name, dtype, shape), parameter count and metadata of a safetensors file."
    )

    @Argument(help: "The .safetensors file to inspect.")
    var file: String

    @Flag(help: "Print JSON: file, metadata, parameter_count, tensors [{name, dtype, shape}].")
    var json = false

    func run() throws {
        let archive: SafeTensorsArchive
        do {
            archive = try SafeTensors.read(file)
        } catch {
            FileHandle.standardError.write(Data("posestudio inspect: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
        let listing = SafeTensorsListing(archive)
        print(json ? listing.json : listing.text, terminator: "")
    }
}
