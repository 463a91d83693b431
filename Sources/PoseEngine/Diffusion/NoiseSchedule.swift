import Foundation

/// The forward-noising schedule: betas and their cumulative products
/// alpha_bar_t, computed in double precision as diffusers does in float64
/// before casting.
public struct NoiseSchedule: Sendable, Equatable {
    public let config: SchedulerConfig
    public let betas: [Double]
    public let alphasCumprod: [Double]

    public init(config: SchedulerConfig = .stableDiffusion) throws(NoiseScheduleError) {
        let problems = config.problems()
        guard problems.isEmpty else { throw .unsupported(problems: problems) }
        self.config = config
        let n = config.numTrainTimesteps
        betas = (0..<n).map { i in
            let fraction = Double(i) / Double(n - 1)
            switch config.betaSchedule {
            case "linear":
                return config.betaStart + (config.betaEnd - config.betaStart) * fraction
            default:
                let root = config.betaStart.squareRoot() + (config.betaEnd.squareRoot() - config.betaStart.squareRoot()) * fraction
                return root * root
            }
        }
        var product = 1.0
        alphasCumprod = betas.map { beta in
            product *= 1 - beta
            return product
        }
    }

    /// Reads `folder/scheduler/scheduler_config.json` when it exists, else SD's schedule, with a
    /// note for the user: a model trained on another schedule would sample wrongly with SD's.
    /// The note is nil when the folder says its schedule.
    public static func load(modelFolder folder: URL) throws -> (schedule: NoiseSchedule, assumedNote: String?) {
        let file = configURL(inModelFolder: folder)
        guard FileManager.default.fileExists(atPath: file.path) else {
            return (try NoiseSchedule(), assumedScheduleNote(modelFolder: folder))
        }
        return (try NoiseSchedule(config: ConfigFile.decode(SchedulerConfig.self, from: file)), nil)
    }

    private static func assumedScheduleNote(modelFolder folder: URL) -> String {
        let sd = SchedulerConfig.stableDiffusion
        return "\(folder.path) has no scheduler/scheduler_config.json, so it samples with Stable Diffusion's "
            + "\(sd.betaSchedule) schedule (\(sd.numTrainTimesteps) steps, betas \(sd.betaStart) to \(sd.betaEnd)), "
            + "the one PoseStudio trains with; add the file if the model was trained on another"
    }

    static func configURL(inModelFolder folder: URL) -> URL {
        folder.appendingPathComponent("scheduler").appendingPathComponent("scheduler_config.json")
    }

    public var trainTimesteps: Int { config.numTrainTimesteps }

    public func alphaBar(_ t: Int) -> Double { alphasCumprod[min(max(t, 0), trainTimesteps - 1)] }

    /// The noise level of the variance-exploding view: x_ve = x_t / sqrt(alpha_bar).
    public func sigma(_ t: Int) -> Double {
        let a = alphaBar(t)
        return ((1 - a) / a).squareRoot()
    }

    /// DDIM's alpha_bar after the last step: 1 or alpha_bar[0] (set_alpha_to_one false).
    public var finalAlphaBar: Double { config.setAlphaToOne ? 1 : alphasCumprod[0] }
}

public enum NoiseScheduleError: Error, CustomStringConvertible {
    case unsupported(problems: [String])

    public var description: String {
        switch self {
        case .unsupported(let problems):
            return "unsupported scheduler_config.json: " + problems.joined(separator: "; ")
        }
    }
}
