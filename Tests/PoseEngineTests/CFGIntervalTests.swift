import Foundation
import Testing
@testable import PoseEngine

/// Classifier-free guidance on the steps at and below `StudioSettings.cfgFrom` only.
struct CFGIntervalTests {
    /// The picture of the test settings (a face, a yaw target) over 6 steps with Face0 weights
    /// that run all four branches.
    private func picture(cfg: CFGWeights, from timestep: Int, sampler: SamplerKind) throws -> [UInt8] {
        try StudioTestModels.picture { ($0.cfg, $0.cfgFrom, $0.sampler) = (cfg, timestep, sampler) }
    }

    @Test(arguments: [SamplerKind.ddim, .eulerAncestral, .dpmpp2m])
    func stepsAboveTheTimestepRunTheTextAndFaceBranchAlone(sampler: SamplerKind) throws {
        let face0 = CFGWeights(scale: 4, combined: 0.5, face: 0.5)
        let everyStep = try picture(cfg: face0, from: 1000, sampler: sampler)
        // Every timestep of a walk is above 0: no step guides, as if w = 1 and c = 1.
        #expect(try picture(cfg: face0, from: 0, sampler: sampler)
                == (try picture(cfg: CFGWeights(scale: 1, combined: 1, face: 0.5), from: 1000, sampler: sampler)))
        #expect(try picture(cfg: face0, from: 999, sampler: sampler) == everyStep, "no timestep is above 999")
        let interval = try picture(cfg: face0, from: 500, sampler: sampler)
        #expect(interval != everyStep)
        #expect(interval != (try picture(cfg: face0, from: 0, sampler: sampler)))
    }

    @Test func aStepAtTheTimestepIsGuided() throws {
        let engine = try StudioTestModels.engine()
        var settings = StudioTestModels.settings()
        settings.cfg = CFGWeights(scale: 4, combined: 0.5, face: 0.5)
        let conditioning = try engine.prepare(settings)
        #expect(conditioning.plan.rows == [.none, .text, .face, .textAndFace])
        #expect(conditioning.branches(atTimestep: 600, cfgFrom: 600).plan == conditioning.plan)
        let above = conditioning.branches(atTimestep: 601, cfgFrom: 600)
        #expect(above.plan.rows == [.textAndFace] && above.plan.coefficients == [1])
        #expect(above.contexts == conditioning.contexts.batchRow(3), "the text and face row's own context")
    }

    @Test func sessionsWithoutTheKeyGuideEveryStepAndBadTimestepsAreRefused() throws {
        try expectNewSettingsKey(\.cfgFrom, loadsAs: 1000, refuses: [-1, 1001], accepts: 0, naming: "cfg-from")
    }
}
