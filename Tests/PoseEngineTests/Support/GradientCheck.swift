import Testing
@testable import PoseEngine

/// Finite-difference verification of a backward pass.
///
/// The scalar probed is L = sum(output * R) for a fixed random R, so the
/// analytic gradients are backward(R). Central differences are taken on a
/// sample of coordinates of every input and every parameter, in float32 with
/// double accumulation of L, and compared with a mixed absolute/relative bound.
struct GradientCheck {
    var epsilon: Float = 1e-2
    var tolerance: Float = 2e-2
    var samplesPerTensor = 8
    var seed: UInt64 = 7

    /// `run` maps inputs to the output; `backward` maps dL/doutput to dL/dinputs
    /// (one per input, same order) and accumulates parameter gradients.
    func verify(
        inputs: [Tensor],
        parameters: [(name: String, parameter: Parameter)],
        sourceLocation: SourceLocation = #_sourceLocation,
        run: ([Tensor]) -> Tensor,
        backward: (Tensor) -> [Tensor]
    ) {
        var generator = SeededGenerator(seed: seed)
        for p in parameters { p.parameter.zeroGradient() }
        let output = run(inputs)
        let r = Tensor.randomNormal(output.shape, generator: &generator)
        let analyticInputs = backward(r)
        #expect(analyticInputs.count == inputs.count, sourceLocation: sourceLocation)

        func loss(_ xs: [Tensor]) -> Double {
            let y = run(xs)
            var total: Double = 0
            for i in 0..<y.count { total += Double(y.scalars[i]) * Double(r.scalars[i]) }
            return total
        }

        for (index, input) in inputs.enumerated() {
            for coordinate in sampleCoordinates(count: input.count, generator: &generator) {
                var plus = inputs, minus = inputs
                plus[index].scalars[coordinate] += epsilon
                minus[index].scalars[coordinate] -= epsilon
                let numeric = Float((loss(plus) - loss(minus)) / Double(2 * epsilon))
                let analytic = analyticInputs[index].scalars[coordinate]
                #expect(agrees(analytic, numeric),
                        "input \(index)[\(coordinate)]: analytic \(analytic) vs numeric \(numeric)",
                        sourceLocation: sourceLocation)
            }
        }
        for (name, parameter) in parameters {
            let analyticGradient = parameter.gradient
            for coordinate in sampleCoordinates(count: parameter.value.count, generator: &generator) {
                let original = parameter.value.scalars[coordinate]
                parameter.value.scalars[coordinate] = original + epsilon
                let up = loss(inputs)
                parameter.value.scalars[coordinate] = original - epsilon
                let down = loss(inputs)
                parameter.value.scalars[coordinate] = original
                let numeric = Float((up - down) / Double(2 * epsilon))
                let analytic = analyticGradient.scalars[coordinate]
                #expect(agrees(analytic, numeric),
                        "\(name)[\(coordinate)]: analytic \(analytic) vs numeric \(numeric)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    private func agrees(_ a: Float, _ b: Float) -> Bool {
        abs(a - b) <= tolerance * (1 + max(abs(a), abs(b)))
    }

    private func sampleCoordinates(count: Int, generator: inout SeededGenerator) -> [Int] {
        if count <= samplesPerTensor { return Array(0..<count) }
        return (0..<samplesPerTensor).map { _ in Int(generator.next() % UInt64(count)) }
    }
}

/// Random test data, reproducible from a seed.
func randomTensor(_ shape: [Int], seed: UInt64, std: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.randomNormal(shape, std: std, generator: &generator)
}

/// Gives norm affines non-trivial values so a swapped scale/shift cannot pass.
func perturbParameters(_ module: ParameterVisitable, seed: UInt64, std: Float = 0.1) {
    var generator = SeededGenerator(seed: seed)
    module.visitParameters { _, p in
        for i in 0..<p.value.count { p.value.scalars[i] += std * generator.nextGaussian() }
    }
}
