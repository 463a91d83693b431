import Foundation
import Testing
@testable import PoseEngine

@Suite struct SamplerActorTests {
    private func frames(_ stream: AsyncThrowingStream<Frame, any Error>) async throws -> [Frame] {
        var all: [Frame] = []
        for try await frame in stream { all.append(frame) }
        return all
    }

    @Test func submitStreamsAPreviewThenTheFullRender() async throws {
        let actor = SamplerActor(models: try StudioTestModels.models(), faceImageLoader: StudioTestModels.faceLoader)
        let settings = StudioTestModels.settings(steps: 5)
        let all = try await frames(try await actor.submit(settings))
        #expect(all.map(\.phase) == [.preview, .preview, .refine, .refine, .refine, .refine, .refine])
        #expect(all.map(\.step) == [1, 2, 1, 2, 3, 4, 5] && all.map(\.totalSteps) == [2, 2, 5, 5, 5, 5, 5])
        #expect(all.filter(\.isFinal).count == 1 && all.last?.isFinal == true)
        #expect(all.allSatisfy { !$0.restartedFromCache && $0.image.width == 16 && $0.msPerStep > 0 })
        // The final frame is the VAE's decode of the same render a headless command makes.
        let engine = try StudioTestModels.engine()
        #expect(all.last?.image == (try engine.render(settings)).image)
    }

    /// The first picture must come quickly: its guided steps take one pass and one reading each,
    /// whatever the refine takes.
    @Test func thePreviewGuidesInOnePassWithOneReading() async throws {
        let actor = SamplerActor(models: try StudioTestModels.models(), faceImageLoader: StudioTestModels.faceLoader)
        var settings = StudioTestModels.settings(steps: 5)
        (settings.guidance, settings.guidanceLookahead, settings.guidanceRepeats, settings.guidanceSamples) = (400, 150, 2, 3)
        let preview = try await frames(try await actor.submit(settings)).last { $0.phase == .preview }
        var quick = settings
        (quick.steps, quick.guidanceRepeats, quick.guidanceSamples) = (settings.previewSteps, 1, 1)
        let engine = try StudioTestModels.engine()
        #expect(preview?.image == (try engine.render(quick)).image)
        quick.guidanceSamples = 3
        #expect(preview?.image != (try engine.render(quick)).image, "more readings change the picture, so the check above can fail")
    }

    @Test func sameSettingsAndSeedGiveIdenticalPixels() throws {
        let settings = StudioTestModels.settings(steps: 3)
        for sampler in SamplerKind.allCases {
            var s = settings
            s.sampler = sampler
            s.eta = sampler == .ddim ? 0.5 : 0
            let first = try StudioTestModels.engine().render(s)
            let second = try StudioTestModels.engine().render(s)
            #expect(first.image == second.image)
            s.seed += 1
            let other = try StudioTestModels.engine().render(s)
            #expect(other.image != first.image)
        }
    }

    @Test func aNewSubmitEndsTheStaleStreamWithinOneStep() async throws {
        let actor = SamplerActor(models: try StudioTestModels.models(), faceImageLoader: StudioTestModels.faceLoader)
        var slow = StudioTestModels.settings(steps: 200)
        slow.previewSteps = 200
        let stale = try await actor.submit(slow)
        var iterator = stale.makeAsyncIterator()
        _ = try await iterator.next()
        var fresh = StudioTestModels.settings(steps: 3)
        fresh.seed = 77
        let current = try await actor.submit(fresh)
        // The stale stream may hold the one step that was running, then ends.
        var staleAfter = 0
        while try await iterator.next() != nil { staleAfter += 1 }
        #expect(staleAfter <= 1)
        let finished = try await frames(current)
        #expect(finished.last?.isFinal == true)
    }

    @Test func stopEndsTheRenderWithinOneStep() async throws {
        let actor = SamplerActor(models: try StudioTestModels.models(), faceImageLoader: StudioTestModels.faceLoader)
        var slow = StudioTestModels.settings(steps: 200)
        slow.previewSteps = 200
        var iterator = try await actor.submit(slow).makeAsyncIterator()
        _ = try await iterator.next()
        await actor.stop()
        // Whatever the stream still holds was made before stop returned: at most the step that
        // was running, and never the end of a 200-step render.
        var after: [Frame] = []
        while let frame = try await iterator.next() { after.append(frame) }
        #expect(after.count <= 1 && !after.contains(where: \.isFinal))
    }

    @Test func warmRestartOnlyWhenJustTheTargetsChange() async throws {
        let actor = SamplerActor(models: try StudioTestModels.models(), faceImageLoader: StudioTestModels.faceLoader)
        var settings = StudioTestModels.settings(steps: 8)
        settings.guidanceFraction = 0.5
        _ = try await frames(try await actor.submit(settings))

        var moved = settings
        moved.targets.steer(.yaw, to: 40)
        moved.guidance = 5
        let warm = try await frames(try await actor.submit(moved))
        let resume = SamplerActor.resumeStep(for: moved)
        #expect(resume == 1, "a fifth of 4 guided steps, at least one")
        var longer = moved
        longer.steps = 20
        #expect(SamplerActor.resumeStep(for: longer) == 2)
        #expect(warm.allSatisfy { $0.restartedFromCache && $0.phase == .resume })
        #expect(SamplerActor.resumedSteps(for: moved) == 4 && SamplerActor.resumedSteps(for: longer) == 9,
                "half of the 7 and 18 steps left, rounded up")
        #expect(warm.count == 4 && warm.map(\.totalSteps) == [4, 4, 4, 4] && warm.last?.isFinal == true)
        let engine = try StudioTestModels.engine()
        #expect(warm.last?.image == (try engine.render(moved, resumingAt: resume, inSteps: 4, trajectoryOf: settings)),
                "bench warm's resumed renders are the actor's")
        #expect(warm.last?.image != (try engine.render(moved).image), "a resumed render is not the fresh one")

        // Back to the settings of the cached render, or asked not to resume: from noise, as rendered first.
        let back = try await frames(try await actor.submit(settings))
        #expect(back.allSatisfy { !$0.restartedFromCache } && back.first?.phase == .preview)
        #expect(back.last?.image == (try engine.render(settings).image))
        let again = try await frames(try await actor.submit(moved, mayResume: false))
        let freshMoved = try engine.render(moved).image
        #expect(again.allSatisfy { !$0.restartedFromCache } && again.last?.image == freshMoved)

        var jumped = moved
        jumped.targets.steer(.yaw, to: -40)
        let far = try await frames(try await actor.submit(jumped))
        #expect(far.allSatisfy { !$0.restartedFromCache } && far.first?.phase == .preview, "a jump of 80 degrees starts from noise")

        var reseeded = jumped
        reseeded.seed += 1
        let cold = try await frames(try await actor.submit(reseeded))
        #expect(cold.allSatisfy { !$0.restartedFromCache } && cold.first?.phase == .preview)

        var reprompted = reseeded
        reprompted.prompt = "a sketch of a person"
        let cold2 = try await frames(try await actor.submit(reprompted))
        #expect(cold2.allSatisfy { !$0.restartedFromCache })
        await actor.clearCache()
        var cleared = reprompted
        cleared.targets.steer(.pitch, to: 10)
        #expect(try await frames(try await actor.submit(cleared)).allSatisfy { !$0.restartedFromCache })
    }

    /// A model that diverges ends the stream with the step it diverged at, so the studio can say
    /// so, instead of streaming blank pictures.
    @Test func aDivergingModelEndsTheStreamWithTheStep() async throws {
        let models = try StudioTestModels.models()
        models.unet.convIn.bias?.value.scalars[0] = 3e38
        let actor = SamplerActor(models: models, faceImageLoader: StudioTestModels.faceLoader)
        var seen: [Frame] = []
        await #expect(throws: StudioError.notFinite(step: 1)) {
            for try await frame in try await actor.submit(StudioTestModels.settings(steps: 5)) { seen.append(frame) }
        }
        #expect(seen.isEmpty)
    }

    @Test func invalidSettingsAndMissingFacesAreReportedBeforeAnyWork() async throws {
        let actor = SamplerActor(models: try StudioTestModels.models(), faceImageLoader: StudioTestModels.faceLoader)
        var bad = StudioTestModels.settings()
        bad.steps = 0
        bad.cfg.combined = 2
        await #expect(throws: StudioError.self) { _ = try await actor.submit(bad) }
        var missing = StudioTestModels.settings()
        missing.face = .images(paths: ["no-such-face.png"])
        await #expect(throws: StudioError.self) { _ = try await actor.submit(missing) }
    }
}
