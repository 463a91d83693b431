import Foundation

/// How long a fuzz test runs and where it keeps the input under test, from the
/// environment so that tools/fuzz can run the same tests for longer:
///
/// - `POSESTUDIO_FUZZ_ITERATIONS`: inputs per test (default `defaultIterations`).
/// - `POSESTUDIO_FUZZ_SECONDS`: run for this long instead of a fixed count.
/// - `POSESTUDIO_FUZZ_SEED`: the first input's seed (default 1).
/// - `POSESTUDIO_FUZZ_TARGET`: run only the test for this target.
/// - `POSESTUDIO_FUZZ_DIR`: where each input is written before it is read; after a
///   crash the input that caused it is left there as `<target>.input`.
struct FuzzRun {
    static let defaultIterations = 600

    let target: String
    let iterations: Int?
    let seconds: Double?
    let seed: UInt64
    let inputPath: String
    let isSelected: Bool

    init(target: String, scratch: URL) {
        let environment = ProcessInfo.processInfo.environment
        self.target = target
        seconds = environment["POSESTUDIO_FUZZ_SECONDS"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil }
        let count = environment["POSESTUDIO_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? Self.defaultIterations
        iterations = seconds == nil ? max(0, count) : nil
        seed = environment["POSESTUDIO_FUZZ_SEED"].flatMap { UInt64($0) } ?? 1
        let folder = environment["POSESTUDIO_FUZZ_DIR"].map { URL(fileURLWithPath: $0) } ?? scratch
        inputPath = folder.appendingPathComponent("\(target).input").path
        isSelected = environment["POSESTUDIO_FUZZ_TARGET"].map { $0 == target } ?? true
    }

    /// Calls `body` with each input's seed until the budget is spent; prints the
    /// count in a fixed form that tools/fuzz reads. Returns the number of executions.
    @discardableResult
    func forEachSeed(_ body: (UInt64) throws -> Void) rethrows -> Int {
        let start = Date()
        var executions = 0
        while true {
            if let iterations, executions >= iterations { break }
            if let seconds, Date().timeIntervalSince(start) >= seconds { break }
            try body(seed &+ UInt64(executions))
            executions += 1
        }
        let elapsed = String(format: "%.1f", Date().timeIntervalSince(start))
        print("fuzz \(target): \(executions) executions in \(elapsed) s (seed \(seed))")
        return executions
    }

    /// Writes the input where the reader under test will find it (and where tools/fuzz
    /// looks for it after a crash).
    func write(_ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: inputPath))
    }
}
