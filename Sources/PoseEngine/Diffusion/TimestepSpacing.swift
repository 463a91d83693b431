/// Which training timesteps an N-step sampler visits, in descending order,
/// following diffusers' `timestep_spacing` options.
public enum TimestepSpacing {
    /// DDIM and Euler ancestral: "leading" is arange(0, N) * (T // N), reversed, + steps_offset.
    public static func timesteps(steps: Int, config: SchedulerConfig) -> [Int] {
        let t = config.numTrainTimesteps, n = max(1, min(steps, t))
        switch config.timestepSpacing {
        case "trailing":
            let ratio = Double(t) / Double(n)
            return (0..<n).map { i in Int((Double(t) - Double(i) * ratio).rounded()) - 1 }
        case "linspace":
            return (0..<n).reversed().map { i in Int((Double(t - 1) * Double(i) / Double(max(n - 1, 1))).rounded()) }
        default:
            let ratio = t / n
            return (0..<n).reversed().map { min($0 * ratio + config.stepsOffset, t - 1) }
        }
    }

    /// DPMSolverMultistepScheduler's variant: "leading" spaces N + 1 points and drops the last.
    public static func multistepTimesteps(steps: Int, config: SchedulerConfig) -> [Int] {
        guard config.timestepSpacing == "leading" else { return timesteps(steps: steps, config: config) }
        let t = config.numTrainTimesteps, n = max(1, min(steps, t - 1))
        let ratio = t / (n + 1)
        return (1...n).reversed().map { min($0 * ratio + config.stepsOffset, t - 1) }
    }

    /// The rest of a walk in `steps` steps: from `first` down to `last`, both included, evenly
    /// spaced, descending and without repeats (fewer when the range holds fewer timesteps).
    public static func remainder(from first: Int, to last: Int, steps: Int) -> [Int] {
        guard steps > 1, first > last else { return [first] }
        let count = min(steps, first - last + 1)
        let spacing = Double(first - last) / Double(count - 1)
        return (0..<count).map { i in first - Int((Double(i) * spacing).rounded()) }
    }
}
