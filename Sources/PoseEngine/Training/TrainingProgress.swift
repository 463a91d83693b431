import Foundation

/// What a running training loop reports after each step.
public struct TrainingProgress: Sendable {
    public var component: String
    public var step: Int
    public var totalSteps: Int
    /// Exponentially smoothed main loss (the raw per-step loss is noisy).
    public var smoothedLoss: Float
    public var losses: [String: Float]
    public var secondsPerStep: Double
    public var learningRate: Float

    public var etaSeconds: Double { Double(max(totalSteps - step, 0)) * secondsPerStep }

    /// One status line: "unet [#####.....] 512/4000 loss 0.0831 1.21 s/step ETA 1h10m".
    public func line(width: Int = 24) -> String {
        let fraction = Double(step) / Double(max(totalSteps, 1))
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return String(format: "%@ [%@] %d/%d loss %.4f  %.2f s/step  ETA %@",
                      component, bar, step, totalSteps, smoothedLoss, secondsPerStep, Self.duration(etaSeconds))
    }

    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
