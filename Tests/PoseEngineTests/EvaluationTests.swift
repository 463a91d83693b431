import Foundation
import Testing
@testable import PoseEngine

/// ROC area, identity pair scores and pose errors: the figures training reports quote.
@Suite struct EvaluationTests {
    @Test func rocAreaOfPerfectReversedAndTiedRankings() {
        #expect(ROCArea.area(positives: [0.9, 0.8], negatives: [0.1, 0.2, 0.3]) == 1)
        #expect(ROCArea.area(positives: [0.1], negatives: [0.5, 0.6]) == 0)
        #expect(ROCArea.area(positives: [0.5, 0.5], negatives: [0.5]) == 0.5)
        #expect(ROCArea.area(positives: [], negatives: [1]) == nil)
    }

    @Test func rocAreaCountsPairsAboveAndTies() {
        // Pairs (p, n): 0.4 beats 0.2, ties 0.4, loses to 0.6; 0.7 beats all three -> (1 + 0.5 + 3) / 6.
        let area = ROCArea.area(positives: [0.4, 0.7], negatives: [0.2, 0.4, 0.6])
        #expect(area == 4.5 / 6)
    }

    @Test func rocAreaMatchesBruteForceOnRandomScores() {
        var generator = SeededGenerator(seed: 3)
        let positives = (0..<40).map { _ in (generator.nextGaussian() + 0.8).rounded(toPlaces: 1) }
        let negatives = (0..<50).map { _ in generator.nextGaussian().rounded(toPlaces: 1) }
        var wins: Double = 0
        for p in positives {
            for n in negatives { wins += p > n ? 1 : p == n ? 0.5 : 0 }
        }
        let expected = wins / Double(positives.count * negatives.count)
        #expect(abs((ROCArea.area(positives: positives, negatives: negatives) ?? -1) - expected) < 1e-12)
    }

    @Test func pairScoresSplitBySameIdentity() {
        let z = Tensor(shape: [3, 2], scalars: [1, 0, 0.6, 0.8, 0, 1])
        let scores = IdentityPairScores(embeddings: z, labels: [7, 7, 9])
        #expect(scores.sameIdentity == [0.6])
        #expect(scores.differentIdentity.sorted() == [0, 0.8])
        #expect(scores.rocArea == 0.5)
    }

    @Test func poseErrorsAreMeanAbsoluteDifferencesPerQuantity() {
        var errors = PoseAbsoluteErrors()
        let truth = [PoseValues(pitch: 0, yaw: 10, x: 0, y: 0, scale: 0.5), PoseValues(pitch: 5, yaw: -10, x: 0.1, y: -0.1, scale: 0.4)]
        let predicted = [PoseValues(pitch: 2, yaw: 7, x: 0.02, y: 0, scale: 0.5), PoseValues(pitch: 5, yaw: -9, x: 0.1, y: 0, scale: 0.3)]
        errors.add(predicted: predicted, truth: truth)
        let m = errors.mean
        #expect(errors.count == 2)
        #expect(abs(m.pitch - 1) < 1e-6 && abs(m.yaw - 2) < 1e-6)
        #expect(abs(m.x - 0.01) < 1e-6 && abs(m.y - 0.05) < 1e-6 && abs(m.scale - 0.05) < 1e-6)
    }
}

private extension Float {
    func rounded(toPlaces places: Int) -> Float {
        let factor = Float(pow(10.0, Double(places)))
        return (self * factor).rounded() / factor
    }
}
