import Testing
@testable import PoseEngine

/// Single layers against PyTorch/diffusers: forward output, input gradient and
/// parameter gradients for a saved upstream gradient (fixtures/layers.safetensors).
@Suite struct LayerParityTests {
    let layers: SafeTensorsArchive

    init() throws {
        layers = try Fixtures.archive("layers.safetensors")
    }

    /// Loads `case.<name>` into each parameter (after `rename`), runs forward and backward,
    /// and compares everything the fixture holds for the case.
    private func check(_ name: String, _ module: ParameterVisitable, rename: [String: String] = [:],
                       inputs: [String] = ["input"], run: ([Tensor]) throws -> Tensor,
                       backward: (Tensor) -> [Tensor], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (parameterName, parameter) in module.namedParameters() {
            let stored = rename[parameterName] ?? parameterName
            parameter.value = try layers["\(name).\(stored)"]
            parameter.zeroGradient()
        }
        let output = try run(try inputs.map { try layers["\(name).\($0)"] })
        expectClose(output, try layers["\(name).output"], tolerance: 1e-5, "\(name) output", sourceLocation: sourceLocation)
        let gradients = backward(try layers["\(name).dy"])
        for (input, gradient) in zip(inputs, gradients) {
            expectClose(gradient, try layers["\(name).d\(input)"], tolerance: 1e-4, "\(name) d\(input)", sourceLocation: sourceLocation)
        }
        for (parameterName, parameter) in module.namedParameters() {
            let stored = rename[parameterName] ?? parameterName
            expectClose(parameter.gradient, try layers["\(name).grad.\(stored)"], tolerance: 1e-4,
                        "\(name) grad \(stored)", sourceLocation: sourceLocation)
        }
    }

    private func checkLayer(_ name: String, _ layer: Layer, rename: [String: String] = [:],
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        try check(name, layer, rename: rename, run: { layer.forward($0[0]) }, backward: { [layer.backward($0)] },
                  sourceLocation: sourceLocation)
    }

    @Test func convolutions() throws {
        var g = SeededGenerator(seed: 0)
        try checkLayer("conv3x3", Conv2d(5, 6, kernel: 3, padding: 1, generator: &g))
        try checkLayer("conv3x3_s2", Conv2d(5, 6, kernel: 3, stride: 2, padding: 1, generator: &g))
        try checkLayer("conv3x3_s2_even", Conv2d(5, 6, kernel: 3, stride: 2, padding: 1, generator: &g))
        try checkLayer("conv1x1", Conv2d(6, 4, kernel: 1, generator: &g))
        try checkLayer("vae_downsample",
                       Downsample2D(channels: 4, padding: Padding2D(top: 0, left: 0, bottom: 1, right: 1), generator: &g),
                       rename: ["conv.weight": "Conv2d_0.weight", "conv.bias": "Conv2d_0.bias"])
        try checkLayer("upsample", Upsample2D(channels: 4, generator: &g))
    }

    @Test func normalisations() throws {
        try checkLayer("group_norm", GroupNorm(groups: 4, channels: 8, eps: 1e-5))
        try checkLayer("group_norm_eps1e-6", GroupNorm(groups: 4, channels: 8, eps: 1e-6))
        let features = try layers["layer_norm.weight"].count
        try checkLayer("layer_norm", LayerNorm(features))
    }

    @Test func linearAndActivations() throws {
        var g = SeededGenerator(seed: 1)
        try checkLayer("linear", Linear(16, 12, generator: &g))
        try checkLayer("geglu", GEGLU(16, inner: 24, generator: &g))
        try checkLayer("gelu", GELU())
        try checkLayer("silu", SiLU())
    }

    @Test func attention() throws {
        var g = SeededGenerator(seed: 2)
        let cross = Attention(queryDim: 16, contextDim: 12, heads: 2, headDim: 8, generator: &g)
        try check("cross_attention", cross, inputs: ["input", "context"],
                  run: { cross.forward($0[0], context: $0[1]) },
                  backward: { let d = cross.backward($0); return [d.input, d.context ?? Tensor(zeros: [0])] })
        let own = Attention(queryDim: 16, heads: 2, headDim: 8, generator: &g)
        try check("self_attention", own, run: { own.forward($0[0]) }, backward: { [own.backward($0).input] })
        // 8 channels in 4 groups (FIXTURES.md).
        let spatial = SpatialSelfAttention(channels: 8, groups: 4, generator: &g)
        try check("vae_attention", spatial, run: { spatial.forward($0[0]) }, backward: { [spatial.backward($0)] })
    }

    @Test func resnetBlock() throws {
        var g = SeededGenerator(seed: 3)
        // ResnetBlock2D(8 -> 16, temb 12, 4 groups) as FIXTURES.md describes it.
        let block = ResnetBlock2D(inChannels: 8, outChannels: 16, timeEmbeddingChannels: 12,
                                  groups: 4, eps: 1e-5, generator: &g)
        try check("resnet", block, inputs: ["input", "temb"],
                  run: { block.forward($0[0], timeEmbedding: $0[1]) },
                  backward: {
                      var dt: Tensor?
                      let dx = block.backward($0, timeEmbeddingGradient: &dt)
                      return [dx, dt ?? Tensor(zeros: [0])]
                  })
    }

    @Test func sinusoidalTimesteps() throws {
        let t = try layers["timestep_embedding.t"]
        let expected = try layers["timestep_embedding.output"]
        let features = SinusoidalTimesteps.features(t.scalars, dim: expected.shape[1])
        expectClose(features, expected, tolerance: 1e-5, "timestep features")
    }
}
