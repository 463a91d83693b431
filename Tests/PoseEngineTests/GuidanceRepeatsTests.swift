import Foundation
import Testing
@testable import PoseEngine

/// Guided steps taken in several passes (`StudioSettings.guidanceRepeats`).
struct GuidanceRepeatsTests {
    private func render(_ settings: StudioSettings) throws -> (image: SynthImage, losses: [Float]) {
        let engine = SamplingEngine(models: try StudioTestModels.models(), faceImageLoader: StudioTestModels.faceLoader)
        var losses: [Float] = []
        let result = try engine.render(settings) { _, report in
            if let loss = report.guidanceLoss { losses.append(loss) }
        }
        return (result.image, losses)
    }

    @Test func repeatsChangeGuidedRendersAndKeepThemDeterministic() throws {
        var settings = StudioTestModels.settings(steps: 6)
        settings.guidance = 200
        let once = try render(settings)
        settings.guidanceRepeats = 3
        let thrice = try render(settings)
        let again = try render(settings)
        #expect(thrice.image.pixels == again.image.pixels, "the same settings and seed give the same picture")
        #expect(thrice.image.pixels != once.image.pixels, "repeated guided steps must change the picture")
        #expect(thrice.losses.count == once.losses.count, "a step reports once, however many passes it took")
    }

    @Test(arguments: [SamplerKind.ddim, .eulerAncestral, .dpmpp2m])
    func unguidedRendersIgnoreRepeats(sampler: SamplerKind) throws {
        var settings = StudioTestModels.settings(steps: 5)
        settings.sampler = sampler
        settings.guidance = 0
        let once = try render(settings)
        settings.guidanceRepeats = 4
        #expect(try render(settings).image.pixels == once.image.pixels)
    }

    @Test func sessionsWithoutTheKeyTakeOnePassAndBadCountsAreRefused() throws {
        let decoded = try JSONDecoder().decode(StudioSettings.self, from: Data(#"{"guidance": 30}"#.utf8))
        #expect(decoded.guidanceRepeats == 1)
        var settings = StudioSettings()
        for bad in [0, StudioSettings.maximumGuidanceRepeats + 1] {
            settings.guidanceRepeats = bad
            #expect(settings.problems().contains { $0.contains("guidance repeats") }, "\(bad)")
        }
        settings.guidanceRepeats = StudioSettings.maximumGuidanceRepeats
        #expect(settings.problems().isEmpty)
    }
}
