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

    /// With a memory: rows of the anchors' own people are positives, the rest negatives, and only
    /// the batch gets a gradient.
    @Test func gradientWithAMemoryMatchesFiniteDifferences() {
        let labels = [0, 0, 1, 1, 1, 2]
        let memoryLabels = [1, 3, 4, 0, 5, 3, 6]
        let z = unitRows([labels.count, 5], seed: 31), memory = unitRows([memoryLabels.count, 5], seed: 32)
        let loss = SupervisedContrastiveLoss(temperature: 0.2)
        func value(_ embeddings: Tensor) -> Float {
            loss.evaluate(embeddings: embeddings, labels: labels, memory: memory, memoryLabels: memoryLabels).loss
        }
        let analytic = loss.evaluate(embeddings: z, labels: labels, memory: memory, memoryLabels: memoryLabels).gradient
        let epsilon: Float = 1e-3
        for i in 0..<z.count {
            var plus = z, minus = z
            plus.scalars[i] += epsilon
            minus.scalars[i] -= epsilon
            let numeric = (value(plus) - value(minus)) / (2 * epsilon)
            #expect(abs(numeric - analytic.scalars[i]) <= 2e-3 * (1 + abs(numeric)),
                    "coordinate \(i): analytic \(analytic.scalars[i]) vs numeric \(numeric)")
        }
        // The memory changes the loss, and an empty one is the batch alone.
        #expect(abs(value(z) - loss.evaluate(embeddings: z, labels: labels).loss) > 1e-3)
        let empty = loss.evaluate(embeddings: z, labels: labels, memory: Tensor(zeros: [0, 5]), memoryLabels: [])
        #expect(empty.loss == loss.evaluate(embeddings: z, labels: labels).loss)
    }

    /// A remembered view that matches an anchor exactly costs less as its own person's view
    /// (a positive closer than the batch's other view) than as a stranger's (a hard negative).
    @Test func rememberedViewsCountAsPositivesOfTheirOwnPerson() {
        let labels = [0, 0, 1, 1]
        let z = Tensor(shape: [4, 2], scalars: [1, 0, 0.8, 0.6, 0, 1, -0.6, 0.8])
        let loss = SupervisedContrastiveLoss(temperature: 0.5)
        let view = Tensor(shape: [1, 2], scalars: [1, 0])
        func cost(_ label: Int) -> Float { loss.evaluate(embeddings: z, labels: labels, memory: view, memoryLabels: [label]).loss }
        #expect(cost(0) < cost(7) - 0.04, "own person \(cost(0)), stranger \(cost(7))")
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
