/// The VAE's single-head spatial self-attention (diffusers' Attention with
/// group_norm, biased q/k/v and a residual connection).
final class SpatialSelfAttention: ParameterVisitable {
    let groupNorm: GroupNorm
    let attention: Attention
    private var spatial = (height: 0, width: 0)

    init(channels: Int, groups: Int, generator: inout SeededGenerator) {
        groupNorm = GroupNorm(groups: groups, channels: channels, eps: 1e-6)
        attention = Attention(queryDim: channels, heads: 1, headDim: channels, qkvBias: true, generator: &generator)
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(groupNorm, as: "group_norm", visit)
        attention.visitParameters(visit)
    }

    func forward(_ x: Tensor) -> Tensor {
        spatial = (x.shape[2], x.shape[3])
        let tokens = attention.forward(Layout.toTokens(groupNorm.forward(x)))
        var out = Layout.fromTokens(tokens, height: spatial.height, width: spatial.width)
        out.add(x)
        return out
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        let dTokens = attention.backward(Layout.toTokens(gradOutput)).input
        var dx = groupNorm.backward(Layout.fromTokens(dTokens, height: spatial.height, width: spatial.width))
        dx.add(gradOutput)
        return dx
    }
}

/// UNetMidBlock2D as the VAE uses it: resnet, optional attention, resnet; no time embedding.
final class VAEMidBlock: ParameterVisitable {
    let resnets: [ResnetBlock2D]
    let attention: SpatialSelfAttention?

    init(channels: Int, groups: Int, addAttention: Bool, generator: inout SeededGenerator) {
        let first = ResnetBlock2D(inChannels: channels, outChannels: channels, timeEmbeddingChannels: nil,
                                  groups: groups, eps: 1e-6, generator: &generator)
        attention = addAttention ? SpatialSelfAttention(channels: channels, groups: groups, generator: &generator) : nil
        let second = ResnetBlock2D(inChannels: channels, outChannels: channels, timeEmbeddingChannels: nil,
                                   groups: groups, eps: 1e-6, generator: &generator)
        resnets = [first, second]
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(resnets, as: "resnets", visit)
        if let attention { PoseEngine.visit([attention], as: "attentions", visit) }
    }

    func forward(_ x: Tensor) -> Tensor {
        var h = resnets[0].forward(x, timeEmbedding: nil)
        if let attention { h = attention.forward(h) }
        return resnets[1].forward(h, timeEmbedding: nil)
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        var none: Tensor?
        var d = resnets[1].backward(gradOutput, timeEmbeddingGradient: &none)
        if let attention { d = attention.backward(d) }
        return resnets[0].backward(d, timeEmbeddingGradient: &none)
    }
}

/// A chain of time-less resnets, for the VAE's encoder and decoder blocks.
extension Array where Element == ResnetBlock2D {
    func forward(_ x: Tensor) -> Tensor {
        reduce(x) { $1.forward($0, timeEmbedding: nil) }
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        var none: Tensor?
        return reversed().reduce(gradOutput) { $1.backward($0, timeEmbeddingGradient: &none) }
    }
}
