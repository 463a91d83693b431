import ArgumentParser

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
        ],
        defaultSubcommand: StudioCommand.self
    )
}
