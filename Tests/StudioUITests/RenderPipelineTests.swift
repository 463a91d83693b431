import Foundation
@testable import PoseEngine
import Testing
@testable import StudioUI

/// A render that fails reaches the UI as a message, and the pipeline goes on rendering.
@Suite struct RenderPipelineTests {
    /// Tiny random models, and face "files" that exist only while their path has no "gone" in it.
    private func pipeline(diverging: Bool = false) throws -> RenderPipeline {
        let models = try StudioModels.random(StudioModelConfigs.miniature, seed: 3)
        // A bias no float sum survives: the first step's latent is no longer finite.
        if diverging { models.unet.convIn.bias?.value.scalars[0] = 3e38 }
        let loader: FaceImageLoader = { path in
            guard !path.contains("gone") else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
            return SynthDataset(seed: 1, imageSize: 16, identityCount: 4).samples(0..<1, threads: 1)[0].image
        }
        return RenderPipeline(sampler: SamplerActor(models: models, faceImageLoader: loader))
    }

    private func settings(face: FaceSource) -> StudioSettings {
        var settings = StudioSettings()
        (settings.steps, settings.previewSteps, settings.seed, settings.face) = (3, 2, 5, face)
        return settings
    }

    /// Takes from the inbox until `arrived` holds what is awaited. The pipeline runs on the shared
    /// cooperative pool, which the synchronous terminal tests running alongside can hold for as
    /// long as they run (two threads on a two-core machine; over two minutes on a busy one):
    /// hence a limit well past their whole run.
    private func collect(from inbox: RenderInbox, until arrived: (RenderInbox.Contents) -> Bool) async throws -> RenderInbox.Contents {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            let contents = inbox.take()
            if arrived(contents) { return contents }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CancellationError()
    }

    @Test func aFailedRenderIsReportedAndTheNextOneRenders() async throws {
        let pipeline = try pipeline()
        pipeline.render(settings(face: .images(paths: ["faces/gone.png"])), generation: 1)
        let failed = try await collect(from: pipeline.inbox) { $0.failure != nil }
        #expect(failed.failure?.contains("faces/gone.png") == true, "the message names the face that could not be read")
        #expect(failed.liveFrame == nil)

        pipeline.render(settings(face: .images(paths: ["faces/here.png"])), generation: 2)
        var finished = false
        for _ in 0..<100 where !finished {
            let contents = try await collect(from: pipeline.inbox) { $0.liveFrame != nil || $0.failure != nil }
            #expect(contents.failure == nil)
            finished = contents.liveFrame?.isFinal == true
        }
        #expect(finished, "the render after the failure ran to its final frame")
    }

    /// A model that diverges is named on the message line with the step, not drawn as noise.
    @Test func aDivergingModelIsReportedWithTheStep() async throws {
        let pipeline = try pipeline(diverging: true)
        pipeline.render(settings(face: .random(seed: 1)), generation: 1)
        let failed = try await collect(from: pipeline.inbox) { $0.failure != nil }
        #expect(failed.failure?.contains("not finite (NaN or infinity) after step 1") == true, "\(failed.failure ?? "")")
        #expect(failed.liveFrame == nil)
    }

    /// "Render again" and sweep frames render from noise, even right after a render they could resume.
    @Test func renderAgainAndSweepFramesNeverResume() async throws {
        let pipeline = try pipeline()
        var first = settings(face: .random(seed: 1))
        first.guidance = 5
        first.targets.steer(.yaw, to: 10)
        var nudged = first
        nudged.targets.steer(.yaw, to: 15)
        #expect(nudged.canResume(from: first))
        func finalFrame() async throws -> Frame? {
            try await collect(from: pipeline.inbox) { $0.liveFrame?.isFinal == true || $0.failure != nil }.liveFrame
        }

        pipeline.render(first, generation: 1)
        _ = try await finalFrame()
        pipeline.render(nudged, generation: 2)
        let resumed = try await finalFrame()
        #expect(resumed?.restartedFromCache == true, "a nudge resumes")
        pipeline.render(first, generation: 3)
        _ = try await finalFrame()
        pipeline.render(nudged, generation: 4, mayResume: false)
        let again = try await finalFrame()
        #expect(again?.restartedFromCache == false)

        let engine = SamplingEngine(models: try StudioModels.random(StudioModelConfigs.miniature, seed: 3),
                                    faceImageLoader: { _ in throw CocoaError(.fileNoSuchFile) })
        let fresh = try engine.render(nudged).image
        #expect(again?.image == fresh)
        pipeline.render(first, generation: 5, mayResume: false)  // so the cached trajectory is first's again
        _ = try await finalFrame()
        let sweep = pipeline.renderSweep([nudged], generation: 6)
        let swept = try await collect(from: pipeline.inbox) { !$0.sweepFrames.isEmpty || $0.failure != nil }
        await sweep.value
        #expect(swept.sweepFrames.first?.image == fresh, "the frame `posestudio sweep` makes")
    }

    @Test func aSweepFrameThatFailsIsNamedAndLiveRendersCarryOn() async throws {
        let pipeline = try pipeline()
        let frames = [settings(face: .random(seed: 1)), settings(face: .images(paths: ["gone-b.png"]))]
        let sweep = pipeline.renderSweep(frames, generation: 1)
        var sweepFrames = 0
        var failure: String?
        while failure == nil {
            let contents = try await collect(from: pipeline.inbox) { !$0.sweepFrames.isEmpty || $0.failure != nil }
            sweepFrames += contents.sweepFrames.count
            failure = contents.failure
        }
        await sweep.value
        #expect(sweepFrames == 1, "the frame before the bad one was delivered")
        #expect(failure?.hasPrefix("sweep frame 2:") == true && failure?.contains("gone-b.png") == true)

        pipeline.render(settings(face: .random(seed: 2)), generation: 2)
        let live = try await collect(from: pipeline.inbox) { $0.liveFrame?.isFinal == true || $0.failure != nil }
        #expect(live.failure == nil && live.liveFrame?.isFinal == true)
    }
}
