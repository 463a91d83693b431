/// x + conv3x3(SiLU(GroupNorm(x))): a pre-activation residual unit that keeps
/// the shape of its input.
///
/// The convolution starts at zero, so a new unit passes its input through
/// unchanged. That lets a trained network be deepened without losing what it
/// had learned, and keeps a deep trunk close to a shallow one early in training.
final class ResidualConvUnit: Layer {
    let norm: GroupNorm
    let conv: Conv2d

    init(channels: Int, groups: Int, generator: inout SeededGenerator) {
        norm = GroupNorm(groups: groups, channels: channels, eps: 1e-5, fusedSiLU: true)
        conv = Conv2d(channels, channels, kernel: 3, padding: 1, generator: &generator)
        conv.weight.value.fill(0)
        conv.bias?.value.fill(0)
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(norm, as: "norm", visit)
        PoseEngine.visit(conv, as: "conv", visit)
    }

    func forward(_ x: Tensor) -> Tensor {
        x + conv.forward(norm.forward(x))
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        gradOutput + norm.backward(conv.backward(gradOutput))
    }
}
