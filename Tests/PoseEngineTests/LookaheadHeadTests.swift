import Foundation
import Testing
@testable import PoseEngine

/// A model's second pose head, trained for readings ahead alone (`pose_head_lookahead/`).
struct LookaheadHeadTests {
    /// The tiny model's head config, trained below `maxTimestep`.
    private func lookaheadHead(maxTimestep: Int?, seed: UInt64 = 40) throws -> PoseReadoutHead {
        var config = StudioTestModels.configs.poseHead
        config.maxTimestep = maxTimestep
        return try PoseReadoutHead(config: config, seed: seed)
    }

    @Test func readingsAheadUseTheLookaheadHeadOnlyWhereItWasTrained() throws {
        let models = try StudioTestModels.models()
        let trained = try lookaheadHead(maxTimestep: 300)
        let denoiser = GuidedDenoiser(unet: models.unet, head: models.poseHead, lookaheadHead: trained)
        #expect(denoiser.headReadingAhead(at: 150) === trained)
        #expect(denoiser.headReadingAhead(at: 300) === models.poseHead, "trained below 300: it never saw t = 300")
        let untrained = GuidedDenoiser(unet: models.unet, head: models.poseHead, lookaheadHead: try lookaheadHead(maxTimestep: nil))
        #expect(untrained.headReadingAhead(at: 150) === models.poseHead, "a head without max_timestep is not one for reading ahead")
    }

    /// A guided step above t' reads ahead with the lookahead head: the same step as the main
    /// head's, with that head's reading in place of the main head's.
    @Test func aStepReadingAheadFollowsTheLookaheadHeadsGradient() throws {
        let models = try StudioTestModels.models()
        let engine = SamplingEngine(models: models, faceImageLoader: StudioTestModels.faceLoader)
        let settings = StudioTestModels.settings()
        let conditioning = try engine.prepare(settings)
        let trained = try lookaheadHead(maxTimestep: 300)
        let withHead = GuidedDenoiser(unet: models.unet, head: models.poseHead, lookaheadHead: trained)
        let ahead = GuidanceLookahead(timestep: 150, alphaBar: 0.8)
        let guidance = PoseGuidance(targets: settings.targets, weight: 50)
        let x = randomTensor(models.latentShape, seed: 17)
        func predict(_ denoiser: GuidedDenoiser, _ guidance: PoseGuidance?) -> GuidedDenoiser.Prediction {
            denoiser.predict(x, timestep: 700, alphaBar: 0.25, plan: conditioning.plan, contexts: conditioning.contexts,
                             guidance: guidance, lookahead: ahead)
        }
        let plain = predict(withHead, nil), guided = predict(withHead, guidance)
        let expected = plain.eps + ahead.push(eps: plain.eps, x: x, alphaBar: 0.25, guidance: guidance) {
            withHead.guidanceLossAndGradient($0, timestep: 150, contexts: conditioning.contexts, guidance: $1, head: trained)
        }.push
        #expect(guided.eps.maxAbsDifference(expected) < 1e-4 * max(1, expected.maxAbs()))
        #expect(guided.eps.maxAbsDifference(predict(engine.denoiser, guidance).eps) > 1e-4, "the main head would read otherwise")
        #expect(guided.estimate == plain.estimate, "the studio's estimate stays the main head's reading of x_t")
    }

    @Test func modelFoldersLoadSaveAndCheckTheirLookaheadHead() throws {
        let url = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try StudioModels.load(folder: url).lookaheadHead == nil, "the head is optional")
        let folderURL = url.appendingPathComponent(StudioModels.lookaheadHeadName)
        try lookaheadHead(maxTimestep: 300).save(to: folderURL)
        let models = try StudioModels.load(folder: url)
        #expect(models.lookaheadHead?.config.maxTimestep == 300)

        let copy = url.appendingPathExtension("copy")
        defer { try? FileManager.default.removeItem(at: copy) }
        try models.save(to: copy)
        #expect(try StudioModels.load(folder: copy).lookaheadHead?.config.maxTimestep == 300, "saving a model folder keeps it")
        try StudioTestModels.models().save(to: copy)
        #expect(try StudioModels.load(folder: copy).lookaheadHead == nil, "other weights saved over it drop it")

        try lookaheadHead(maxTimestep: nil).save(to: folderURL)
        #expect { try StudioModels.load(folder: url) } throws: { "\($0)".contains("pose_head_lookahead/config.json has no max_timestep") }
        var calibrated = StudioTestModels.configs.poseHead
        calibrated.maxTimestep = 300
        calibrated.guidanceCalibration = [[1, 0], [1, 0], [1, 0], [1, 0], [0.8, 0.15]]
        try PoseReadoutHead(config: calibrated, seed: 1).save(to: folderURL)
        #expect { try StudioModels.load(folder: url) } throws: {
            "\($0)".contains("pose_head_lookahead/config.json has a guidance_calibration, which guidance reads from pose_head/config.json alone")
        }
        var wrong = StudioTestModels.configs.poseHead
        wrong.maxTimestep = 300
        wrong.inChannels *= 2
        try PoseReadoutHead(config: wrong, seed: 1).save(to: folderURL)
        #expect { try StudioModels.load(folder: url) } throws: { "\($0)".contains("pose_head_lookahead in_channels") }
    }
}
