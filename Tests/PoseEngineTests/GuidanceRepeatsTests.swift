import Foundation
import Testing
@testable import PoseEngine

/// Guided steps taken in several passes (`StudioSettings.guidanceRepeats`).
struct GuidanceRepeatsTests {
    /// The picture of the test settings over 6 steps with these guidance settings.
    private func picture(_ sampler: SamplerKind, guidance: Float, repeats: Int) throws -> [UInt8] {
        try StudioTestModels.picture { ($0.sampler, $0.guidance, $0.guidanceRepeats) = (sampler, guidance, repeats) }
    }

    @Test(arguments: [SamplerKind.ddim, .eulerAncestral, .dpmpp2m])
    func repeatsChangeGuidedRendersAndKeepThemDeterministic(sampler: SamplerKind) throws {
        let once = try picture(sampler, guidance: 200, repeats: 1)
        let thrice = try picture(sampler, guidance: 200, repeats: 3)
        #expect(thrice == (try picture(sampler, guidance: 200, repeats: 3)), "the same settings and seed give the same picture")
        #expect(thrice != once, "repeated guided steps must change the picture")
    }

    /// Two passes of a step: the step from the state before it, noised back to its level, and the
    /// step again from there with the sampler's history as it was before the first pass and the
    /// noise generator where the first pass and the renoising left it.
    @Test(arguments: [SamplerKind.ddim, .eulerAncestral, .dpmpp2m])
    func aRepeatedStepIsTheStepTakenAgainFromItsRenoisedResult(sampler: SamplerKind) throws {
        let engine = try StudioTestModels.engine()
        var settings = StudioTestModels.settings(steps: 6)
        (settings.sampler, settings.guidance, settings.guidanceRepeats) = (sampler, 200, 2)
        let conditioning = try engine.prepare(settings)
        var state = engine.start(settings, steps: 6)
        var byHand = state
        for _ in 0..<2 { _ = try engine.advance(&state, settings: settings, conditioning: conditioning) }
        for i in 0..<2 {
            let scheduler = byHand.scheduler
            let branches = conditioning.branches(atTimestep: scheduler.timesteps[i], cfgFrom: settings.cfgFrom)
            func eps(_ sample: Tensor) -> Tensor {
                engine.denoiser.predict(scheduler.modelInput(sample, step: i), timestep: scheduler.timesteps[i],
                                        alphaBar: scheduler.alphaBar(step: i), plan: branches.plan,
                                        contexts: branches.contexts, guidance: settings.poseGuidance,
                                        lookahead: engine.lookahead(settings, step: i)).eps
            }
            var first = byHand
            first.sample = first.scheduler.step(first.sample, eps: eps(byHand.sample), step: i, generator: &first.generator)
            var generator = first.generator
            let again = scheduler.renoised(first.sample, afterStep: i, generator: &generator)
            byHand.generator = generator
            byHand.sample = byHand.scheduler.step(again, eps: eps(again), step: i, generator: &byHand.generator)
            byHand.nextStep += 1
        }
        #expect(state.sample == byHand.sample)
    }

    @Test(arguments: [SamplerKind.ddim, .eulerAncestral, .dpmpp2m])
    func unguidedRendersIgnoreRepeats(sampler: SamplerKind) throws {
        #expect(try picture(sampler, guidance: 0, repeats: 4) == (try picture(sampler, guidance: 0, repeats: 1)))
    }

    @Test func sessionsWithoutTheKeyTakeOnePassAndBadCountsAreRefused() throws {
        try expectNewSettingsKey(\.guidanceRepeats, loadsAs: 1, refuses: [0, StudioSettings.maximumGuidanceRepeats + 1],
                                 accepts: StudioSettings.maximumGuidanceRepeats, naming: "guidance repeats")
    }
}
