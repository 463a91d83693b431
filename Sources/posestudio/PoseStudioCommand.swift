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
        refuseWordsReadAsOptions(Array(CommandLine.arguments.dropFirst()))
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
        refuse("unknown command '\(first)'; the commands are \(commands.joined(separator: ", "))\nSee 'posestudio --help'.")
    }

    /// posestudio has no one-letter options but -h, so a word with one dash that is not a number
    /// (`embed -head.png`) would parse as a cluster of them, and the `h` in it printed the help
    /// and exited 0: said plainly instead. Negative numbers (`--yaw -30`, `--x -0.25`) pass.
    private static func refuseWordsReadAsOptions(_ arguments: [String]) {
        for argument in arguments.prefix(while: { $0 != "--" })
        where argument.hasPrefix("-") && !argument.hasPrefix("--") && argument.count > 1 && !["-h", "-help"].contains(argument)
            && Double(argument) == nil {
            refuse("'\(argument)' reads as one-letter options, and posestudio has none but -h: "
                   + "write a file as ./\(argument) (or put -- before it), an option's value as --option=\(argument)")
        }
    }

    private static func refuse(_ message: String) -> Never {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        Foundation.exit(ExitCode.validationFailure.rawValue)
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
