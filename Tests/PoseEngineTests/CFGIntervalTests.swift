import Foundation
import Testing
@testable import PoseEngine

/// Classifier-free guidance in full on the steps at and below `StudioSettings.cfgFrom`, and at
/// `StudioSettings.cfgEarlyScale` above it.
struct CFGIntervalTests {
    /// The picture of the test settings (a face, a yaw target) over 6 steps with `cfg`, in full
    /// at and below `timestep` and at `earlyScale` above it.
    private func picture(cfg: CFGWeights, from timestep: Int, earlyScale: Float, sampler: SamplerKind) throws -> [UInt8] {
        try StudioTestModels.picture { ($0.cfg, $0.cfgFrom, $0.cfgEarlyScale, $0.sampler) = (cfg, timestep, earlyScale, sampler) }
    }

    @Test(arguments: [SamplerKind.ddim, .eulerAncestral, .dpmpp2m])
    func stepsAboveTheTimestepRunTheTextAndFaceBranchAlone(sampler: SamplerKind) throws {
        let face0 = CFGWeights(scale: 4, combined: 0.5, face: 0.5)
        let everyStep = try picture(cfg: face0, from: 1000, earlyScale: 1, sampler: sampler)
        // Every timestep of a walk is above 0: no step guides, as if w = 1 and c = 1.
        #expect(try picture(cfg: face0, from: 0, earlyScale: 1, sampler: sampler)
                == (try picture(cfg: CFGWeights(scale: 1, combined: 1, face: 0.5), from: 1000, earlyScale: 1, sampler: sampler)))
        #expect(try picture(cfg: face0, from: 999, earlyScale: 1, sampler: sampler) == everyStep, "no timestep is above 999")
        let interval = try picture(cfg: face0, from: 500, earlyScale: 1, sampler: sampler)
        #expect(interval != everyStep)
        #expect(interval != (try picture(cfg: face0, from: 0, earlyScale: 1, sampler: sampler)))
    }

    /// The prepared conditioning of the test settings with Face0 weights that run all four
    /// branches in full, and `earlyScale` above `cfgFrom`.
    private func conditioning(earlyScale: Float) throws -> PreparedConditioning {
        var settings = StudioTestModels.settings()
        (settings.cfg, settings.cfgEarlyScale) = (CFGWeights(scale: 4, combined: 0.5, face: 0.5), earlyScale)
        return try StudioTestModels.engine().prepare(settings)
    }

    @Test func aStepAtTheTimestepIsGuided() throws {
        let conditioning = try conditioning(earlyScale: 1)
        #expect(conditioning.plan.rows == [.none, .text, .face, .textAndFace])
        #expect(conditioning.branches(atTimestep: 600, cfgFrom: 600).plan == conditioning.plan)
        let above = conditioning.branches(atTimestep: 601, cfgFrom: 600)
        #expect(above.plan.rows == [.textAndFace] && above.plan.coefficients == [1])
        #expect(above.contexts == conditioning.contexts.batchRow(3), "the text and face row's own context")
    }

    @Test func stepsAboveTheTimestepRunStandardCFGAtTheEarlyScale() throws {
        let conditioning = try conditioning(earlyScale: 3)
        let above = conditioning.branches(atTimestep: 601, cfgFrom: 600)
        #expect(above.plan.rows == [.none, .textAndFace] && above.plan.coefficients == [-2, 3])
        #expect(above.contexts == Tensor.stacked([conditioning.contexts.batchRow(0), conditioning.contexts.batchRow(3)]),
                "the empty row's and the text and face row's own contexts")
    }

    @Test func anEarlyScaleAtOrAboveTheScaleOfStandardCFGGuidesEveryStepAlike() throws {
        let standard = CFGWeights(scale: 5, combined: 1, face: 0.5)
        let everyStep = try picture(cfg: standard, from: 1000, earlyScale: 1, sampler: .ddim)
        #expect(try picture(cfg: standard, from: 500, earlyScale: 5, sampler: .ddim) == everyStep)
        #expect(try picture(cfg: standard, from: 500, earlyScale: 9, sampler: .ddim) == everyStep,
                "the early scale never exceeds the CFG scale")
        #expect(try picture(cfg: standard, from: 500, earlyScale: 2, sampler: .ddim) != everyStep)
    }

    @Test func aCFGScaleOfOneTurnsClassifierFreeGuidanceOffOnEveryStep() throws {
        var settings = StudioTestModels.settings()
        (settings.cfg.scale, settings.cfgEarlyScale) = (1, 3)
        #expect(BranchPlan(weights: settings.earlyCFG, hasFace: true).rows == [.textAndFace])
    }

    @Test func aCFGScaleUnderOneLeavesTheNoisierStepsOnTheConditionedPrediction() throws {
        var settings = StudioTestModels.settings()
        (settings.cfg.scale, settings.cfgFrom, settings.cfgEarlyScale) = (0.5, 850, 1)
        #expect(settings.earlyCFG.scale == 1, "as sessions made before the early scale ran them")
    }

    @Test func sessionsWithoutTheKeyGuideEveryStepAndBadTimestepsAreRefused() throws {
        try expectNewSettingsKey(\.cfgFrom, loadsAs: 1000, refuses: [-1, 1001], accepts: 0, naming: "cfg-from")
    }

    @Test func sessionsWithoutTheEarlyScaleRunTheConditionedPredictionAloneAndBadScalesAreRefused() throws {
        try expectNewSettingsKey(\.cfgEarlyScale, loadsAs: 1, refuses: [-1, 51, .nan, .infinity], accepts: 3, naming: "cfg-early")
    }

    @Test func anEarlyScaleSavedWithoutATimestepActsFromNewSettingsTimestep() throws {
        let decoded = try JSONDecoder().decode(StudioSettings.self, from: Data(#"{"cfgEarlyScale": 2}"#.utf8))
        #expect(decoded.cfgFrom == StudioSettings().cfgFrom && decoded.cfgEarlyScale == 2)
    }
}
