import Foundation

/// The subset of diffusers' scheduler_config.json that decides the noise
/// schedule and the inference timesteps. Absent keys take the values the
/// default model is trained with (SD's scaled_linear schedule).
public struct SchedulerConfig: Codable, Sendable, Equatable {
    public var numTrainTimesteps: Int
    public var betaStart: Double
    public var betaEnd: Double
    public var betaSchedule: String
    public var predictionType: String
    public var timestepSpacing: String
    public var stepsOffset: Int
    public var setAlphaToOne: Bool

    enum CodingKeys: String, CodingKey {
        case numTrainTimesteps = "num_train_timesteps", betaStart = "beta_start", betaEnd = "beta_end"
        case betaSchedule = "beta_schedule", predictionType = "prediction_type"
        case timestepSpacing = "timestep_spacing", stepsOffset = "steps_offset", setAlphaToOne = "set_alpha_to_one"
    }

    public static let stableDiffusion = SchedulerConfig(
        numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: "scaled_linear",
        predictionType: "epsilon", timestepSpacing: "leading", stepsOffset: 1, setAlphaToOne: false)

    public init(numTrainTimesteps: Int, betaStart: Double, betaEnd: Double, betaSchedule: String,
                predictionType: String, timestepSpacing: String, stepsOffset: Int, setAlphaToOne: Bool) {
        self.numTrainTimesteps = numTrainTimesteps
        self.betaStart = betaStart
        self.betaEnd = betaEnd
        self.betaSchedule = betaSchedule
        self.predictionType = predictionType
        self.timestepSpacing = timestepSpacing
        self.stepsOffset = stepsOffset
        self.setAlphaToOne = setAlphaToOne
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.stableDiffusion
        numTrainTimesteps = try c.decodeIfPresent(Int.self, forKey: .numTrainTimesteps) ?? d.numTrainTimesteps
        betaStart = try c.decodeIfPresent(Double.self, forKey: .betaStart) ?? d.betaStart
        betaEnd = try c.decodeIfPresent(Double.self, forKey: .betaEnd) ?? d.betaEnd
        betaSchedule = try c.decodeIfPresent(String.self, forKey: .betaSchedule) ?? d.betaSchedule
        predictionType = try c.decodeIfPresent(String.self, forKey: .predictionType) ?? d.predictionType
        timestepSpacing = try c.decodeIfPresent(String.self, forKey: .timestepSpacing) ?? d.timestepSpacing
        stepsOffset = try c.decodeIfPresent(Int.self, forKey: .stepsOffset) ?? d.stepsOffset
        setAlphaToOne = try c.decodeIfPresent(Bool.self, forKey: .setAlphaToOne) ?? d.setAlphaToOne
    }

    public func problems() -> [String] {
        var problems: [String] = []
        if numTrainTimesteps < 2 { problems.append("num_train_timesteps must be at least 2") }
        if !(betaStart > 0 && betaEnd > betaStart && betaEnd < 1) { problems.append("need 0 < beta_start < beta_end < 1") }
        if !["scaled_linear", "linear"].contains(betaSchedule) {
            problems.append("beta_schedule \"\(betaSchedule)\" is not supported (use scaled_linear or linear)")
        }
        if predictionType != "epsilon" { problems.append("prediction_type \"\(predictionType)\" is not supported (use epsilon)") }
        if !["leading", "trailing", "linspace"].contains(timestepSpacing) {
            problems.append("timestep_spacing \"\(timestepSpacing)\" is not supported (use leading, trailing or linspace)")
        }
        if stepsOffset < 0 || stepsOffset >= numTrainTimesteps { problems.append("steps_offset \(stepsOffset) is out of range") }
        return problems
    }
}
