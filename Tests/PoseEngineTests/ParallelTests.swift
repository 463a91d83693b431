import Testing
@testable import PoseEngine

/// Splitting loops across cores changes nothing: every slice is computed by one
/// thread in the same order, so parallel and serial results are bit-identical.
@Suite(.serialized) struct ParallelTests {
    private func run(parallel: Bool, _ body: () -> [Tensor]) -> [Tensor] {
        Parallel.isEnabled.store(parallel, ordering: .relaxed)
        defer { Parallel.isEnabled.store(true, ordering: .relaxed) }
        return body()
    }

    @Test func layersAgreeBitForBit() {
        var g = SeededGenerator(seed: 90)
        let conv = Conv2d(16, 8, kernel: 3, padding: 1, generator: &g)
        let norm = GroupNorm(groups: 4, channels: 16, eps: 1e-5, fusedSiLU: true)
        perturbParameters(norm, seed: 91)
        let x = randomTensor([2, 16, 24, 24], seed: 92)
        let dy = randomTensor([2, 8, 24, 24], seed: 93)
        func pass() -> [Tensor] {
            conv.zeroGradients()
            norm.zeroGradients()
            let y = conv.forward(norm.forward(x))
            let dx = norm.backward(conv.backward(dy))
            return [y, dx, conv.weight.gradient, norm.weight.gradient, norm.bias.gradient]
        }
        let serial = run(parallel: false, pass)
        let parallel = run(parallel: true, pass)
        for (a, b) in zip(serial, parallel) { #expect(a == b) }
    }
}
