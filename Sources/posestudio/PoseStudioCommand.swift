import ArgumentParser
import Foundation
import PoseEngine

@main
struct PoseStudioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posestudio",
        abstract: "An interactive terminal studio for posing heads in generated images.",
        // In the order a user meets them: the studio, the headless renders, the judge and the
        // face encoder on pictures, then the tools for building and measuring models.
        subcommands: [
            StudioCommand.self,
            RenderCommand.self,
            SweepCommand.self,
            SamplesCommand.self,
            EstimateCommand.self,
            EmbedCommand.self,
            DatasetCommand.self,
            InspectCommand.self,
            BenchCommand.self,
            TrainCommand.self,
        ],
        defaultSubcommand: StudioCommand.self
    )

    static func main() async {
        BLASKernels.restartWithBestKernelsIfNeeded()
        MemoryPolicy.keepFreedBlocksForReuse()
        refuseUnknownCommand(Array(CommandLine.arguments.dropFirst()))
        refuseFileNamesReadAsOptions(Array(CommandLine.arguments.dropFirst()))
        var parsed: ParsableCommand.Type?
        do {
            var command = try parseAsRoot()
            parsed = type(of: command)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            // Checks made while running: point to the command's own help, not the whole tool's usage.
            guard let parsed, let path = commandPath(to: parsed) else { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(error.message)\nSee 'posestudio \(path) --help' for its options.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    /// A first word that names no command would otherwise read as a stray argument to the studio
    /// (the default command), and its message would show the studio's usage.
    private static func refuseUnknownCommand(_ arguments: [String]) {
        guard let first = arguments.first, !first.hasPrefix("-") else { return }
        let commands = configuration.subcommands.map { $0._commandName }
        guard !(commands + ["help"]).contains(first) else { return }
        let list = commands.joined(separator: ", ")
        FileHandle.standardError.write(Data("Error: unknown command '\(first)'; the commands are \(list)\nSee 'posestudio --help'.\n".utf8))
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }

    /// A file name that starts with a dash (`embed -face.png`) parses as a cluster of one-letter
    /// flags, and the `h` in it printed the help and exited 0: said plainly instead. Negative
    /// numbers (`--yaw -30`, `--x -0.25`) are neither files nor image names, and pass.
    private static func refuseFileNamesReadAsOptions(_ arguments: [String]) {
        let imageSuffixes = [".png", ".jpg", ".jpeg", ".gif", ".bmp", ".json", ".toml"]
        for argument in arguments.prefix(while: { $0 != "--" }) where argument.hasPrefix("-") && !argument.hasPrefix("--") {
            let lowered = argument.lowercased()
            guard FileManager.default.fileExists(atPath: argument) || imageSuffixes.contains(where: lowered.hasSuffix) else { continue }
            FileHandle.standardError.write(Data("""
                Error: '\(argument)' reads as options, not as a file name: write it as ./\(argument), or put -- before it

                """.utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
    }

    /// The words that name `command` below posestudio ("bench fidelity"), or nil for posestudio itself.
    private static func commandPath(to command: ParsableCommand.Type) -> String? {
        func search(_ children: [ParsableCommand.Type], _ path: [String]) -> [String]? {
            for child in children {
                let here = path + [child._commandName]
                if child == command { return here }
                if let found = search(child.configuration.subcommands, here) { return found }
            }
            return nil
        }
        return search(configuration.subcommands, []).map { $0.joined(separator: " ") }
    }
}
