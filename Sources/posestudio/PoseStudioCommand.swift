import ArgumentParser
import PoseEngine

@main
struct PoseStudioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posestudio",
        abstract: "An interactive terminal studio for posing heads in generated images.",
        subcommands: [
            StudioCommand.self,
            DatasetCommand.self,
            InspectCommand.self,
            BenchCommand.self,
            TrainCommand.self,
            RenderCommand.self,
            SweepCommand.self,
            SamplesCommand.self,
            EstimateCommand.self,
            EmbedCommand.self,
        ],
        defaultSubcommand: StudioCommand.self
    )

    static func main() async {
        MemoryPolicy.keepFreedBlocksForReuse()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
