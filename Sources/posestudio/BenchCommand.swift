import ArgumentParser

/// `posestudio bench ...`: measurements, each against a baseline from the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure PoseStudio's speed and fidelity.",
        subcommands: [EngineBenchCommand.self, SpeedBenchCommand.self, FidelityBenchCommand.self, WarmBenchCommand.self,
                      VAEBenchCommand.self, UNetBenchCommand.self]
    )
}
