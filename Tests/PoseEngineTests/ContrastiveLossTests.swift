import Testing
@testable import PoseEngine

/// The supervised contrastive loss: its hand-written gradient matches finite
/// differences, and it ranks good embeddings below bad ones.
@Suite struct ContrastiveLossTests {
    private func unitRows(_ shape: [Int], seed: UInt64) -> Tensor {
        L2Normalize().forward(randomTensor(shape, seed: seed))
    }

    @Test func gradientMatchesFiniteDifferences() {
        // Three people, two or three views, one person alone (an anchor without positives).
        let labels = [0, 0, 1, 1, 1, 2, 2, 3]
        let z = unitRows([labels.count, 5], seed: 21)
        let loss = SupervisedContrastiveLoss(temperature: 0.2)
        let analytic = loss.evaluate(embeddings: z, labels: labels).gradient
        let epsilon: Float = 1e-3
        for i in 0..<z.count {
            var plus = z, minus = z
            plus.scalars[i] += epsilon
            minus.scalars[i] -= epsilon
            let numeric = (loss.evaluate(embeddings: plus, labels: labels).loss
                - loss.evaluate(embeddings: minus, labels: labels).loss) / (2 * epsilon)
            #expect(abs(numeric - analytic.scalars[i]) <= 2e-3 * (1 + abs(numeric)),
                    "coordinate \(i): analytic \(analytic.scalars[i]) vs numeric \(numeric)")
        }
    }

    @Test func gradientThroughNormalisationMatchesFiniteDifferences() {
        // Raw features -> L2Normalize -> loss, as in the encoder's head.
        let labels = [0, 1, 0, 1, 2, 2]
        let x = randomTensor([labels.count, 4], seed: 5)
        let loss = SupervisedContrastiveLoss(temperature: 0.5)
        GradientCheck(epsilon: 1e-3, tolerance: 2e-2, samplesPerTensor: 24).verify(
            inputs: [x], parameters: [],
            run: { Tensor(shape: [1], scalars: [loss.evaluate(embeddings: L2Normalize().forward($0[0]), labels: labels).loss]) },
            backward: { r in
                let normalize = L2Normalize()
                let gradient = loss.evaluate(embeddings: normalize.forward(x), labels: labels).gradient
                return [normalize.backward(gradient * r.scalars[0])]
            })
    }

    @Test func separatedIdentitiesCostLessThanMixedOnes() {
        let labels = [0, 0, 1, 1]
        let separated = Tensor(shape: [4, 2], scalars: [1, 0, 1, 0, 0, 1, 0, 1])
        let mixed = Tensor(shape: [4, 2], scalars: [1, 0, 0, 1, 1, 0, 0, 1])
        let loss = SupervisedContrastiveLoss(temperature: 0.1)
        #expect(loss.evaluate(embeddings: separated, labels: labels).loss < loss.evaluate(embeddings: mixed, labels: labels).loss)
    }

    @Test func batchWithoutPositivesHasNoLossAndNoGradient() {
        let result = SupervisedContrastiveLoss().evaluate(embeddings: unitRows([3, 4], seed: 2), labels: [0, 1, 2])
        #expect(result.loss == 0)
        #expect(result.gradient.scalars.allSatisfy { $0 == 0 })
    }
}
