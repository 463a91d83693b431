import Foundation
import Testing
@testable import PoseEngine

/// Pose guidance that reads the predicted clean latent noised to a lower timestep, once or as the
/// mean of several noisings (`GuidanceLookahead`, `StudioSettings.guidanceLookahead` and `.guidanceSamples`).
struct GuidanceLookaheadTests {
    @Test func theFirstReadingUsesTheStepsOwnNoiseAndTheRestFreshSeededNoise() {
        let ahead = GuidanceLookahead(timestep: 150, alphaBar: 0.8, samples: 3, noiseSeed: 5)
        let x0 = randomTensor([1, 4, 4, 4], seed: 1), eps = randomTensor([1, 4, 4, 4], seed: 2)
        let readings = ahead.readings(of: x0, eps: eps)
        #expect(readings.shape == [3, 4, 4, 4])
        let own = x0 * (0.8 as Float).squareRoot() + eps * (0.2 as Float).squareRoot()
        #expect(readings.batchRow(0).maxAbsDifference(own) < 1e-6)
        #expect(readings.batchRow(1) != readings.batchRow(0) && readings.batchRow(2) != readings.batchRow(1))
        #expect(readings == ahead.readings(of: x0, eps: eps), "the seed fixes the fresh noise")
        var reseeded = ahead
        reseeded.noiseSeed = 6
        #expect(reseeded.readings(of: x0, eps: eps).batchRow(1) != readings.batchRow(1))
    }

    /// Above t' a guided step moves x0 by -w dL/dx0, L the mean of the single readings' losses
    /// (one reading: x0 noised with the step's own eps): checked against central differences of
    /// that mean, each reading's loss computed on its own.
    @Test(arguments: [1, 3])
    func aStepMovesThePredictedCleanLatentDownTheGradientOfItsMeanReading(samples: Int) throws {
        let models = try StudioTestModels.models()
        let engine = SamplingEngine(models: models, faceImageLoader: StudioTestModels.faceLoader)
        var settings = StudioTestModels.settings()
        settings.targets.steer(.pitch, to: 25)
        let conditioning = try engine.prepare(settings)
        let (ab, weight): (Float, Float) = (0.25, 40)
        let ahead = GuidanceLookahead(timestep: 150, alphaBar: 0.8, samples: samples, noiseSeed: 11)
        let guidance = PoseGuidance(targets: settings.targets, weight: weight)
        var unweighted = guidance
        unweighted.weight = 1
        let x = randomTensor(models.latentShape, seed: 3)
        func predict(_ guidance: PoseGuidance?, _ lookahead: GuidanceLookahead) -> GuidedDenoiser.Prediction {
            engine.denoiser.predict(x, timestep: 650, alphaBar: ab, plan: conditioning.plan, contexts: conditioning.contexts,
                                    guidance: guidance, lookahead: lookahead)
        }
        let plain = predict(nil, ahead), guided = predict(guidance, ahead)
        let x0 = { (eps: Tensor) in (x - eps * (1 - ab).squareRoot()) * (1 / ab.squareRoot()) }
        let moved = x0(guided.eps) - x0(plain.eps)
        func meanLoss(_ cleanLatent: Tensor) -> Float {
            let readings = ahead.readings(of: cleanLatent, eps: plain.eps)
            return (0..<ahead.samples).map {
                engine.denoiser.guidanceLossAndGradient(readings.batchRow($0), timestep: 150, contexts: conditioning.contexts,
                                                        guidance: unweighted).loss
            }.reduce(0, +) / Float(ahead.samples)
        }
        let start = x0(plain.eps)
        #expect(abs((guided.guidanceLoss ?? 0) - weight * meanLoss(start)) <= 1e-4 * weight * meanLoss(start))
        for (i, numeric) in DiffusionGuidanceTests.centralDifferences(at: start, seed: 8, of: meanLoss) {
            #expect(abs(-weight * numeric - moved.scalars[i]) <= 3e-2 * (weight * abs(numeric) + 1e-3) + 1e-3,
                    "x0[\(i)]: moved \(moved.scalars[i]) vs -w dL/dx0 \(-weight * numeric)")
        }
        if samples > 1 {
            var single = ahead
            single.samples = 1
            #expect(guided.eps.maxAbsDifference(predict(guidance, single).eps) > 1e-4, "the fresh readings must change the step")
        }
        // At or below t' the step is guided on x_t as without a lookahead.
        let low = engine.denoiser.predict(x, timestep: 150, alphaBar: 0.8, plan: conditioning.plan, contexts: conditioning.contexts,
                                          guidance: guidance, lookahead: ahead)
        let usual = engine.denoiser.predict(x, timestep: 150, alphaBar: 0.8, plan: conditioning.plan, contexts: conditioning.contexts,
                                            guidance: guidance)
        #expect(low.eps == usual.eps)
    }

    @Test func rendersWithSeveralReadingsAreDeterministicAndDiffer() throws {
        func picture(samples: Int) throws -> [UInt8] {
            try StudioTestModels.picture { ($0.guidance, $0.guidanceLookahead, $0.guidanceSamples) = (400, 150, samples) }
        }
        let twice = try picture(samples: 2)
        #expect(twice == (try picture(samples: 2)), "the same settings and seed give the same picture")
        #expect(twice != (try picture(samples: 1)))
        #expect(SamplingEngine.readingNoiseSeed(1, step: 0) != SamplingEngine.readingNoiseSeed(1, step: 1))
        #expect(SamplingEngine.readingNoiseSeed(1, step: 0) != SamplingEngine.readingNoiseSeed(2, step: 0))
    }

    @Test func aLookaheadPartsTheTargetsItReadsAheadFromTheRest() {
        var targets = GuidanceTargets()
        for (quantity, value) in [(PoseQuantity.pitch, 10), (.yaw, 30), (.x, 0.1)] as [(PoseQuantity, Float)] {
            targets.steer(quantity, to: value)
        }
        let ahead = GuidanceLookahead(timestep: 150, alphaBar: 0.8, quantities: [.yaw, .scale], gain: 10)
        let (here, there) = ahead.split(PoseGuidance(targets: targets, weight: 60))
        #expect(here.targets.active == [.pitch, .x] && here.weight == 60)
        #expect(there.targets.active == [.yaw] && there.weight == 600, "scale is read ahead but not a target")
        #expect(there.targets.values == targets.values && here.targets.values == targets.values)
        let (none, all) = GuidanceLookahead(timestep: 150, alphaBar: 0.8).split(PoseGuidance(targets: targets, weight: 60))
        #expect(!none.isActive && all == PoseGuidance(targets: targets, weight: 60), "by default every target reads ahead, at the weight")
    }

    /// With only some targets read ahead, a step is guided on x_t for the others first, as
    /// without a lookahead, and then reads the rest ahead from that guided eps.
    @Test func aStepGuidesTheTargetsNotReadAheadOnItsOwnLatent() throws {
        let models = try StudioTestModels.models()
        let engine = SamplingEngine(models: models, faceImageLoader: StudioTestModels.faceLoader)
        var settings = StudioTestModels.settings()
        settings.targets.steer(.x, to: 0.2)
        let conditioning = try engine.prepare(settings)
        let ahead = GuidanceLookahead(timestep: 150, alphaBar: 0.8, quantities: [.yaw], gain: 10)
        let guidance = PoseGuidance(targets: settings.targets, weight: 30)
        let (here, there) = ahead.split(guidance)
        let (x, ab): (Tensor, Float) = (randomTensor(models.latentShape, seed: 23), 0.3)
        func predict(_ guidance: PoseGuidance?, _ lookahead: GuidanceLookahead?) -> GuidedDenoiser.Prediction {
            engine.denoiser.predict(x, timestep: 600, alphaBar: ab, plan: conditioning.plan, contexts: conditioning.contexts,
                                    guidance: guidance, lookahead: lookahead)
        }
        let onItsOwn = predict(here, nil)
        let expected = onItsOwn.eps + ahead.push(eps: onItsOwn.eps, x: x, alphaBar: ab, guidance: there) {
            engine.denoiser.guidanceLossAndGradient($0, timestep: 150, contexts: conditioning.contexts, guidance: $1)
        }.push
        let guided = predict(guidance, ahead)
        #expect(guided.eps.maxAbsDifference(expected) < 1e-4 * max(1, expected.maxAbs()))
        #expect(guided.eps.maxAbsDifference(onItsOwn.eps) > 1e-4 && guided.estimate == onItsOwn.estimate)
    }

    @Test func lookaheadIsOffInOlderSessionsAndMustBeATimestep() throws {
        try expectNewSettingsKey(\.guidanceLookahead, loadsAs: 0, refuses: [-1, 1000], accepts: 150, naming: "guidance lookahead")
    }

    @Test func sessionsWithoutTheKeyReadOnceAndSamplesNeedALookahead() throws {
        var withLookahead = StudioSettings()
        withLookahead.guidanceLookahead = 150
        let decoded = try JSONDecoder().decode(StudioSettings.self, from: Data(#"{"guidanceLookahead": 150}"#.utf8))
        #expect(decoded.guidanceSamples == 1)
        for wrong in [0, StudioSettings.maximumGuidanceSamples + 1] {
            var settings = withLookahead
            settings.guidanceSamples = wrong
            #expect(settings.problems().contains { $0.contains("guidance samples must be between") }, "\(wrong)")
        }
        var settings = withLookahead
        settings.guidanceSamples = StudioSettings.maximumGuidanceSamples
        #expect(settings.problems().isEmpty)
        settings.guidanceLookahead = 0
        #expect(settings.problems() == ["guidance samples are readings of a lookahead: set a guidance lookahead too (e.g. 150)"])
    }

    @Test func sessionsWithoutTargetsAndGainReadEveryTargetAheadAtTheWeight() throws {
        let decoded = try JSONDecoder().decode(StudioSettings.self, from: Data(#"{"guidanceLookahead": 150}"#.utf8))
        #expect(decoded.guidanceLookaheadTargets == nil && decoded.guidanceLookaheadGain == nil)
        let lookahead = try StudioTestModels.engine().lookahead(decoded, step: 0)
        #expect(lookahead?.quantities == PoseQuantity.allCases && lookahead?.gain == 1, "as such sessions were guided")
        var settings = StudioSettings()
        for (targets, gain) in [([], 10), ([.yaw, .yaw], 10), ([.yaw], -1), ([.yaw], 101), ([.yaw], .nan)] as [([PoseQuantity], Float)] {
            (settings.guidanceLookaheadTargets, settings.guidanceLookaheadGain) = (targets, gain)
            #expect(settings.problems().count == 1, "\(targets) \(gain)")
        }
        (settings.guidanceLookaheadTargets, settings.guidanceLookaheadGain) = ([.pitch, .yaw], 10)
        #expect(settings.problems().isEmpty)
        let saved = try JSONDecoder().decode(StudioSettings.self, from: JSONEncoder().encode(settings))
        #expect(saved == settings)
    }
}
