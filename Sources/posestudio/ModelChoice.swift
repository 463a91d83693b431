import Foundation
import PoseEngine

/// A command that reads a model: `--model DIR`, or the default model's folder when the flag is
/// absent (`DefaultModelLocation`: `$POSESTUDIO_MODEL`, else `Models/default` here or in the
/// checkout posestudio was built in).
protocol ModelChoice {
    var model: String? { get }
}

extension ModelChoice {
    /// The folder the command reads.
    var modelPath: String { model ?? DefaultModelLocation.current.path }

    /// The folder named or found, or nil when neither: for the benches that then time seeded weights.
    var modelPathIfAny: String? { model ?? DefaultModelLocation.existing?.path }
}

/// The end of every `--model` help text.
let defaultModelHelp = "Default: \(DefaultModelLocation.lookupOrder)."
