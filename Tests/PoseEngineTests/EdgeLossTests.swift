import Testing
@testable import PoseEngine

/// The VAE's edge term: its gradient matches finite differences, it ignores what pixel losses
/// already see (a uniform shift), sees what they forgive (a smeared dot), and weighs each
/// difference like the pixel it starts at.
@Suite struct EdgeLossTests {
    @Test func gradientMatchesFiniteDifferences() {
        // Not square, so rows and columns cannot be swapped unnoticed; weights vary per pixel.
        let target = randomTensor([2, 3, 5, 4], seed: 3), reconstruction = randomTensor([2, 3, 5, 4], seed: 4)
        let weights = Tensor(shape: [2, 1, 5, 4], scalars: (0..<40).map { 1 + Float($0 % 7) * 0.5 })
        let analytic = EdgeLoss.evaluate(reconstruction: reconstruction, target: target, weights: weights).gradient
        let epsilon: Float = 1e-3
        for i in 0..<reconstruction.count {
            var plus = reconstruction, minus = reconstruction
            plus.scalars[i] += epsilon
            minus.scalars[i] -= epsilon
            let numeric = (EdgeLoss.evaluate(reconstruction: plus, target: target, weights: weights).value
                - EdgeLoss.evaluate(reconstruction: minus, target: target, weights: weights).value) / (2 * epsilon)
            #expect(abs(numeric - analytic.scalars[i]) <= 1e-3 * (1 + abs(numeric)),
                    "element \(i): analytic \(analytic.scalars[i]) vs numeric \(numeric)")
        }
    }

    @Test func aShiftCostsNothingAndASmearedDotCosts() {
        // A dark dot on flat skin, 6x6, one channel.
        var dot = Tensor(shape: [1, 1, 6, 6], scalars: Array(repeating: 0.5, count: 36))
        dot.scalars[2 * 6 + 2] = -1
        let shifted = dot.map { $0 + 0.2 }
        // The dot spread over its 3x3 neighbourhood: the same total darkness, no sharp edge.
        var smeared = Tensor(shape: [1, 1, 6, 6], scalars: Array(repeating: 0.5, count: 36))
        for row in 1...3 { for column in 1...3 { smeared.scalars[row * 6 + column] = 0.5 - 1.5 / 9 } }
        #expect(EdgeLoss.evaluate(reconstruction: dot, target: dot, weights: nil).value == 0)
        #expect(abs(EdgeLoss.evaluate(reconstruction: shifted, target: dot, weights: nil).value) < 1e-6)
        let smear = EdgeLoss.evaluate(reconstruction: smeared, target: dot, weights: nil)
        #expect(smear.value > 0.1 && smear.plain == smear.value)
    }

    @Test func eachDifferenceWeighsLikeThePixelItStartsAt() {
        let target = Tensor(zeros: [1, 1, 3, 3])
        var reconstruction = Tensor(zeros: [1, 1, 3, 3])
        reconstruction.scalars[4] = 1  // the centre: four neighbour pairs touch it
        var weights = Tensor(shape: [1, 1, 3, 3], scalars: Array(repeating: 1, count: 9))
        weights.scalars[4] = 10  // the pairs starting at the centre: to its right and below
        let result = EdgeLoss.evaluate(reconstruction: reconstruction, target: target, weights: weights)
        #expect(abs(result.value - (10 + 10 + 1 + 1) / 9) < 1e-6)
        #expect(abs(result.plain - 4.0 / 9) < 1e-6)
        // Lowering the centre closes all four edges; raising its neighbours closes one each.
        let expected: [Int: Float] = [4: 22.0 / 9, 5: -10.0 / 9, 7: -10.0 / 9, 3: -1.0 / 9, 1: -1.0 / 9, 0: 0, 8: 0]
        for (index, slope) in expected {
            #expect(abs(result.gradient.scalars[index] - slope) < 1e-6, "element \(index): \(result.gradient.scalars[index])")
        }
    }
}
