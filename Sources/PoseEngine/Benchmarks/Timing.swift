import Foundation

/// Wall-clock timing of repeated runs, reported as the median in milliseconds
/// (robust to the scheduling noise of a shared 2-core machine).
public enum Timing {
    public static func medianMilliseconds(warmup: Int = 3, runs: Int, _ body: () -> Void) -> Double {
        for _ in 0..<warmup { body() }
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for _ in 0..<max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}
