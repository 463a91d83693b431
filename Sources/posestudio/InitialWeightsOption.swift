import ArgumentParser
import PoseEngine

/// `--init-from DIR`, shared by the train commands that can continue from trained weights:
/// the components a command trains start from DIR's instead of fresh ones.
struct InitialWeightsOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Start the components this command trains from this model folder's weights instead of fresh ones.",
        discussion: "A checkpoint in --runs made for the same configuration still wins: the run resumes it."))
    var initFrom: String?

    /// `name` from the --init-from folder; nil when the option is not given. A folder that is
    /// missing or lacks `name` is blamed on --init-from, not on --model as a model folder would be.
    func load<Component: DiffusersComponent>(_ type: Component.Type, _ name: String) throws -> Component? {
        guard let initFrom else { return nil }
        do {
            return try ModelFolder(initFrom).load(type, name)
        } catch ModelFolderError.missingFolder {
            throw ValidationError("--init-from \(initFrom): there is no model folder there")
        } catch ModelFolderError.missingComponent {
            throw ValidationError("--init-from \(initFrom) has no \(name)/ component to start from: name a model folder that has one")
        }
    }

    /// Says on the console when a checkpoint overrides --init-from, and returns the report's
    /// line on where the weights truly came from (nil without --init-from).
    func announce(_ run: TrainingRun) -> String? {
        TrainingConsole.announceInitialWeights(initFrom, run: run)
    }
}
