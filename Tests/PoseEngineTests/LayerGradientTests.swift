import Testing
@testable import PoseEngine

/// Finite-difference checks of every layer's backward pass.
@Suite struct LayerGradientTests {
    let check = GradientCheck()

    private func single(_ layer: Layer, _ input: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
        check.verify(inputs: [input], parameters: layer.namedParameters(), sourceLocation: sourceLocation,
                     run: { layer.forward($0[0]) }, backward: { [layer.backward($0)] })
    }

    @Test func linear() {
        var g = SeededGenerator(seed: 1)
        single(Linear(6, 5, generator: &g), randomTensor([2, 3, 6], seed: 2))
        single(Linear(4, 3, bias: false, generator: &g), randomTensor([5, 4], seed: 3))
    }

    @Test(arguments: [(3, 1, Padding2D.uniform(1)), (3, 2, .uniform(1)), (3, 2, Padding2D(top: 0, left: 0, bottom: 1, right: 1)), (1, 1, .uniform(0))])
    func conv2d(kernel: Int, stride: Int, padding: Padding2D) {
        var g = SeededGenerator(seed: 4)
        for batch in [1, 2] {
            let conv = Conv2d(3, 4, kernel: kernel, stride: stride, padding: padding, generator: &g)
            single(conv, randomTensor([batch, 3, 6, 5], seed: 5))
        }
        // Planes of 256+ outputs take the image-by-image path.
        let wide = Conv2d(2, 3, kernel: kernel, stride: stride, padding: padding, generator: &g)
        single(wide, randomTensor([2, 2, 16 * stride, 16 * stride], seed: 6))
    }

    @Test func groupNorm() {
        let norm = GroupNorm(groups: 2, channels: 4, eps: 1e-5)
        perturbParameters(norm, seed: 6)
        single(norm, randomTensor([2, 4, 3, 3], seed: 7))
        let fused = GroupNorm(groups: 2, channels: 4, eps: 1e-6, fusedSiLU: true)
        perturbParameters(fused, seed: 60)
        single(fused, randomTensor([2, 4, 3, 3], seed: 61))
    }

    @Test func residualConvUnit() {
        var generator = SeededGenerator(seed: 62)
        let unit = ResidualConvUnit(channels: 4, groups: 2, generator: &generator)
        perturbParameters(unit, seed: 63)
        single(unit, randomTensor([2, 4, 3, 3], seed: 64))
    }

    @Test func layerNorm() {
        let norm = LayerNorm(6)
        perturbParameters(norm, seed: 8)
        single(norm, randomTensor([2, 3, 6], seed: 9))
    }

    @Test func activations() {
        single(SiLU(), randomTensor([2, 3, 4], seed: 10, std: 2))
        single(GELU(), randomTensor([2, 3, 4], seed: 11, std: 2))
    }

    @Test func gegluAndFeedForward() {
        var g = SeededGenerator(seed: 12)
        single(GEGLU(4, inner: 6, generator: &g), randomTensor([2, 3, 4], seed: 13))
        single(FeedForward(4, generator: &g), randomTensor([2, 3, 4], seed: 14))
    }

    @Test func selfAttention() {
        var g = SeededGenerator(seed: 15)
        let attention = Attention(queryDim: 8, heads: 2, headDim: 4, generator: &g)
        check.verify(inputs: [randomTensor([2, 5, 8], seed: 16)], parameters: attention.namedParameters(),
                     run: { attention.forward($0[0]) }, backward: { [attention.backward($0).input] })
    }

    @Test func crossAttention() {
        var g = SeededGenerator(seed: 17)
        let attention = Attention(queryDim: 8, contextDim: 6, heads: 2, headDim: 3, qkvBias: true, generator: &g)
        check.verify(inputs: [randomTensor([2, 5, 8], seed: 18), randomTensor([2, 4, 6], seed: 19)],
                     parameters: attention.namedParameters(),
                     run: { attention.forward($0[0], context: $0[1]) },
                     backward: {
                         let d = attention.backward($0)
                         return [d.input, d.context ?? Tensor(zeros: [2, 4, 6])]
                     })
    }

    @Test func upsampleAndDownsample() {
        var g = SeededGenerator(seed: 20)
        single(Upsample2D(channels: 3, generator: &g), randomTensor([2, 3, 3, 4], seed: 21))
        single(Downsample2D(channels: 3, generator: &g), randomTensor([2, 3, 6, 6], seed: 22))
    }

    @Test func timestepEmbedding() {
        var g = SeededGenerator(seed: 23)
        single(TimestepEmbedding(8, 12, generator: &g), SinusoidalTimesteps.features([3, 500], dim: 8))
    }

    /// A frozen layer (guidance's) gives the same dL/dx and accumulates no parameter gradient.
    @Test func frozenLayersLeaveTheirGradientsAlone() {
        var g = SeededGenerator(seed: 24)
        let layers: [(Layer, Tensor)] = [
            (GroupNorm(groups: 2, channels: 4, eps: 1e-5), randomTensor([2, 4, 3, 3], seed: 25)),
            (GroupNorm(groups: 2, channels: 4, eps: 1e-5, fusedSiLU: true), randomTensor([2, 4, 3, 3], seed: 26)),
            (LayerNorm(6), randomTensor([2, 3, 6], seed: 27)),
            (Linear(6, 5, generator: &g), randomTensor([2, 3, 6], seed: 28)),
            (Conv2d(4, 3, kernel: 3, stride: 1, padding: .uniform(1), generator: &g), randomTensor([2, 4, 3, 3], seed: 29)),
        ]
        for (layer, input) in layers {
            perturbParameters(layer, seed: 30)
            let gradOutput = randomTensor(layer.forward(input).shape, seed: 31)
            let trained = layer.backward(gradOutput)
            layer.zeroGradients()
            layer.setRequiresGradient(false)
            _ = layer.forward(input)
            let frozen = layer.backward(gradOutput)
            #expect(frozen.scalars == trained.scalars, "\(type(of: layer))")
            layer.visitParameters { name, p in
                #expect(p.gradient.scalars.allSatisfy { $0 == 0 }, "\(type(of: layer)).\(name) accumulated while frozen")
            }
        }
    }
}
