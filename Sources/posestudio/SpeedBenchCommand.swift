import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio bench speed`: how quickly the studio answers, through the SamplerActor.
struct SpeedBenchCommand: AsyncParsableCommand, ModelChoice {
    static let configuration = CommandConfiguration(
        commandName: "speed",
        abstract: "Time the studio's sampler: first preview, full render, warm and cold updates, peak memory.",
        discussion: """
        Default settings (with the yaw target on). first_preview_ms: submit to the preview's last \
        frame. full_render_ms: submit to the final frame from noise. update_warm_ms: a 10-degree yaw \
        change resumed from the cached trajectory, to its final frame; update_cold_ms: the same change \
        with the cache cleared. Medians over --runs. Without --model and without a default model, \
        seeded random weights of the default configuration.
        """)

    @Option(help: ArgumentHelp("A model folder.", discussion: defaultModelHelp))
    var model: String?
    @Option(help: "Timed runs per measurement (the median is reported).")
    var runs = 5
    @Flag(help: "Print JSON.")
    var json = false

    struct Report: Codable {
        var model: String
        var steps: Int
        var previewSteps: Int
        var firstPreviewMs: Double
        var fullRenderMs: Double
        var updateWarmMs: Double
        var updateColdMs: Double
        var peakRssMb: Double

        enum CodingKeys: String, CodingKey {
            case model, steps, previewSteps = "preview_steps", firstPreviewMs = "first_preview_ms"
            case fullRenderMs = "full_render_ms", updateWarmMs = "update_warm_ms", updateColdMs = "update_cold_ms"
            case peakRssMb = "peak_rss_mb"
        }
    }

    func run() async throws {
        let folder = modelPathIfAny
        let models = try failing("bench speed") {
            try folder.map { try loadStudioModels($0) } ?? StudioModels.random(.standard, seed: 1)
        }
        let actor = SamplerActor(models: models, faceImageLoader: ImageInputFile.load)
        var settings = StudioSettings()
        settings.face = .random(seed: 1)
        settings.targets.steer(.yaw, to: 30)
        _ = try await Self.time(actor, settings)  // warm-up: allocations, BLAS threads

        var preview: [Double] = [], full: [Double] = [], warm: [Double] = [], cold: [Double] = []
        for run in 0..<max(runs, 1) {
            var base = settings
            base.seed = UInt64(100 + run)
            await actor.clearCache()
            let times = try await Self.time(actor, base)
            preview.append(times.preview)
            full.append(times.final)
            var moved = base
            moved.targets.steer(.yaw, to: 40)  // a slider's nudge: larger jumps start from noise
            let resumed = try await Self.time(actor, moved)
            guard resumed.resumed else { throw ValidationError("the targets-only update did not resume from the cache") }
            warm.append(resumed.final)
            await actor.clearCache()
            cold.append(try await Self.time(actor, moved).final)
        }
        let report = Report(model: folder ?? "default configuration, seeded random weights", steps: settings.steps,
                            previewSteps: settings.previewSteps, firstPreviewMs: median(preview), fullRenderMs: median(full),
                            updateWarmMs: median(warm), updateColdMs: median(cold), peakRssMb: peakResidentMegabytes())
        if json {
            print(try SortedJSON.string(report))
        } else {
            print("""
            model: \(report.model)   steps \(report.steps), preview \(report.previewSteps)   median of \(max(runs, 1))
            first preview   \(String(format: "%8.1f ms", report.firstPreviewMs))
            full render     \(String(format: "%8.1f ms", report.fullRenderMs))
            update, warm    \(String(format: "%8.1f ms", report.updateWarmMs))
            update, cold    \(String(format: "%8.1f ms", report.updateColdMs))   (\(String(format: "%.2fx", report.updateColdMs / report.updateWarmMs)) the warm time)
            peak RSS        \(String(format: "%8.1f MB", report.peakRssMb))
            """)
        }
    }

    /// Milliseconds from submit to the preview's last frame and to the final frame.
    static func time(_ actor: SamplerActor, _ settings: StudioSettings) async throws -> (preview: Double, final: Double, resumed: Bool) {
        let clock = ContinuousClock()
        let start = clock.now
        var preview = Double.nan, final = Double.nan, resumed = false
        for try await frame in try await actor.submit(settings) {
            let ms = milliseconds(clock.now - start)
            if frame.phase == .preview && frame.step == frame.totalSteps { preview = ms }
            if frame.isFinal { final = ms }
            resumed = resumed || frame.restartedFromCache
        }
        return (preview, final, resumed)
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Peak resident memory of this process (getrusage reports kilobytes on Linux, bytes on macOS).
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    #if os(macOS)
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / (1024 * 1024)
    #else
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
    #endif
}
