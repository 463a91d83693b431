import Foundation
import Testing
@testable import PoseEngine

@Suite struct GuidancePushLimitTests {
    /// unguided (3, 4) has norm 5: at a limit of 0.5 a push may be 2.5 long.
    @Test func onlyPushesPastTheLimitAreShortenedAndKeepTheirDirection() {
        let unguided = Tensor(shape: [2], scalars: [3, 4])
        var guidance = PoseGuidance(targets: GuidanceTargets(), weight: 60, pushLimit: 0.5)
        let far = guidance.limitingPush(Tensor(shape: [2], scalars: [3 + 6, 4 + 8]), from: unguided)
        #expect(far.maxAbsDifference(Tensor(shape: [2], scalars: [3 + 1.5, 4 + 2])) < 1e-5, "a push of 10 becomes one of 2.5 the same way")
        let near = Tensor(shape: [2], scalars: [3 + 1.2, 4 + 1.6])
        #expect(guidance.limitingPush(near, from: unguided) == near, "a push of 2 is within the limit")
        for none in [nil, 0] as [Float?] {
            guidance.pushLimit = none
            #expect(guidance.limitingPush(Tensor(shape: [2], scalars: [30, 40]), from: unguided).scalars == [30, 40])
        }
    }

    /// A heavy weight pushes a step far past its eps; the limit brings the push back to its share
    /// of eps's norm, along the same direction: the push on x_t alone, or that and the push read
    /// ahead together.
    @Test(arguments: [0, 150]) func guidedStepsPushNoFurtherThanTheLimit(lookahead: Int) throws {
        let models = try StudioTestModels.models()
        let engine = SamplingEngine(models: models, faceImageLoader: StudioTestModels.faceLoader)
        var settings = StudioTestModels.settings()
        (settings.guidance, settings.guidanceLookahead) = (1000, lookahead)
        settings.targets.steer(.x, to: 0.3)  // read on x_t while yaw is read ahead: the bound is on their sum
        let conditioning = try engine.prepare(settings)
        let x = randomTensor(models.latentShape, seed: 5)
        let ahead = lookahead == 0 ? nil : GuidanceLookahead(timestep: lookahead, alphaBar: 0.8, quantities: [.yaw])
        func push(limit: Float?) -> (push: Tensor, eps: Tensor) {
            var guidance = settings.poseGuidance
            guidance.pushLimit = limit
            let plain = engine.denoiser.predict(x, timestep: 600, alphaBar: 0.3, plan: conditioning.plan, contexts: conditioning.contexts, guidance: nil)
            let guided = engine.denoiser.predict(x, timestep: 600, alphaBar: 0.3, plan: conditioning.plan, contexts: conditioning.contexts,
                                                 guidance: guidance, lookahead: ahead)
            return (guided.eps - plain.eps, plain.eps)
        }
        let (free, eps) = push(limit: nil)
        let epsNorm = eps.dot(eps).squareRoot(), freeNorm = free.dot(free).squareRoot()
        let limit = 0.5 * freeNorm / epsNorm
        let bounded = push(limit: limit).push
        let boundedNorm = bounded.dot(bounded).squareRoot()
        #expect(abs(boundedNorm - limit * epsNorm) < 1e-3 * boundedNorm, "half the free push: exactly the limit")
        #expect(bounded.dot(free) / (boundedNorm * freeNorm) > 0.9999, "the same direction")
        #expect(push(limit: 2 * freeNorm / epsNorm).push.maxAbsDifference(free) < 1e-6 * max(1, free.maxAbs()), "within the limit: untouched")
    }

    @Test func olderSessionsPushWithoutALimit() throws {
        try expectNewSettingsKey(\.guidancePushLimit, loadsAs: nil, refuses: [-0.1, StudioSettings.maximumGuidancePushLimit + 1, .nan],
                                 accepts: 0, naming: "guidance push limit")
        #expect(StudioSettings().guidancePushLimit == 0.5, "new settings bound each push")
        #expect(StudioSettings().poseGuidance.pushLimit == 0.5, "the denoiser gets the settings' limit")
    }
}
