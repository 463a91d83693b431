/// diffusers' BasicTransformerBlock: pre-LayerNorm self-attention, cross-attention
/// and GEGLU feed-forward, each with a residual connection.
public final class BasicTransformerBlock: ParameterVisitable {
    public let norm1: LayerNorm, attn1: Attention
    public let norm2: LayerNorm, attn2: Attention
    public let norm3: LayerNorm, ff: FeedForward

    public init(dim: Int, contextDim: Int, heads: Int, headDim: Int, generator: inout SeededGenerator) {
        norm1 = LayerNorm(dim)
        attn1 = Attention(queryDim: dim, heads: heads, headDim: headDim, generator: &generator)
        norm2 = LayerNorm(dim)
        attn2 = Attention(queryDim: dim, contextDim: contextDim, heads: heads, headDim: headDim, generator: &generator)
        norm3 = LayerNorm(dim)
        ff = FeedForward(dim, generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(norm1, as: "norm1", visit)
        PoseEngine.visit(attn1, as: "attn1", visit)
        PoseEngine.visit(norm2, as: "norm2", visit)
        PoseEngine.visit(attn2, as: "attn2", visit)
        PoseEngine.visit(norm3, as: "norm3", visit)
        PoseEngine.visit(ff, as: "ff", visit)
    }

    public func forward(_ x: Tensor, context: Tensor) -> Tensor {
        var h = x
        h.add(attn1.forward(norm1.forward(h)))
        h.add(attn2.forward(norm2.forward(h), context: context))
        h.add(ff.forward(norm3.forward(h)))
        return h
    }

    public func backward(_ gradOutput: Tensor, contextGradient: inout Tensor) -> Tensor {
        var d = gradOutput
        d.add(norm3.backward(ff.backward(d)))
        let cross = attn2.backward(d)
        d.add(norm2.backward(cross.input))
        if let dc = cross.context { contextGradient.add(dc) }
        d.add(norm1.backward(attn1.backward(d).input))
        return d
    }
}

/// diffusers' Transformer2DModel as the UNet uses it: GroupNorm, a 1x1-conv
/// (or linear) projection into tokens, transformer blocks, the projection back,
/// and a residual connection around all of it.
public final class Transformer2DModel: ParameterVisitable {
    public let norm: GroupNorm
    public let projIn: Layer
    public let blocks: [BasicTransformerBlock]
    public let projOut: Layer
    public let usesLinearProjection: Bool
    private var spatial: (height: Int, width: Int) = (0, 0)

    public init(channels: Int, heads: Int, contextDim: Int, groups: Int, layers: Int = 1,
                linearProjection: Bool, generator: inout SeededGenerator) {
        let headDim = channels / heads
        norm = GroupNorm(groups: groups, channels: channels, eps: 1e-6)
        usesLinearProjection = linearProjection
        if linearProjection {
            projIn = Linear(channels, channels, generator: &generator)
        } else {
            projIn = Conv2d(channels, channels, kernel: 1, generator: &generator)
        }
        var blocks: [BasicTransformerBlock] = []
        for _ in 0..<layers {
            blocks.append(BasicTransformerBlock(dim: channels, contextDim: contextDim, heads: heads,
                                                headDim: headDim, generator: &generator))
        }
        self.blocks = blocks
        if linearProjection {
            projOut = Linear(channels, channels, generator: &generator)
        } else {
            projOut = Conv2d(channels, channels, kernel: 1, generator: &generator)
        }
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(norm, as: "norm", visit)
        PoseEngine.visit(projIn, as: "proj_in", visit)
        PoseEngine.visit(blocks, as: "transformer_blocks", visit)
        PoseEngine.visit(projOut, as: "proj_out", visit)
    }

    public func forward(_ x: Tensor, context: Tensor) -> Tensor {
        spatial = (x.shape[2], x.shape[3])
        let normed = norm.forward(x)
        var tokens = usesLinearProjection
            ? projIn.forward(Layout.toTokens(normed))
            : Layout.toTokens(projIn.forward(normed))
        for block in blocks { tokens = block.forward(tokens, context: context) }
        var out = usesLinearProjection
            ? Layout.fromTokens(projOut.forward(tokens), height: spatial.height, width: spatial.width)
            : projOut.forward(Layout.fromTokens(tokens, height: spatial.height, width: spatial.width))
        out.add(x)
        return out
    }

    public func backward(_ gradOutput: Tensor, contextGradient: inout Tensor) -> Tensor {
        var dTokens = usesLinearProjection
            ? projOut.backward(Layout.toTokens(gradOutput))
            : Layout.toTokens(projOut.backward(gradOutput))
        for block in blocks.reversed() { dTokens = block.backward(dTokens, contextGradient: &contextGradient) }
        let dNormed = usesLinearProjection
            ? Layout.fromTokens(projIn.backward(dTokens), height: spatial.height, width: spatial.width)
            : projIn.backward(Layout.fromTokens(dTokens, height: spatial.height, width: spatial.width))
        var dx = norm.backward(dNormed)
        dx.add(gradOutput)
        return dx
    }
}
