/// DownBlock2D / CrossAttnDownBlock2D: resnets (each optionally followed by a
/// transformer) and an optional stride-2 downsampler. Every resnet/attention
/// output and the downsampler output is a skip connection for the up path.
final class UNetDownBlock: ParameterVisitable {
    let resnets: [ResnetBlock2D]
    let attentions: [Transformer2DModel]
    let downsampler: Downsample2D?

    init(inChannels: Int, outChannels: Int, config: UNet2DConditionConfig, blockIndex: Int,
         hasCrossAttention: Bool, addDownsample: Bool, generator: inout SeededGenerator) {
        var resnets: [ResnetBlock2D] = []
        var attentions: [Transformer2DModel] = []
        for j in 0..<config.layersPerBlock {
            resnets.append(ResnetBlock2D(
                inChannels: j == 0 ? inChannels : outChannels, outChannels: outChannels,
                timeEmbeddingChannels: config.timeEmbeddingDim, groups: config.normNumGroups, eps: config.normEps,
                generator: &generator))
            if hasCrossAttention {
                attentions.append(Transformer2DModel(
                    channels: outChannels, heads: config.headsPerBlock[blockIndex], contextDim: config.crossAttentionDim,
                    groups: config.normNumGroups, layers: config.transformerLayers[blockIndex],
                    linearProjection: config.useLinearProjection, generator: &generator))
            }
        }
        self.resnets = resnets
        self.attentions = attentions
        downsampler = addDownsample ? Downsample2D(channels: outChannels, generator: &generator) : nil
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(resnets, as: "resnets", visit)
        PoseEngine.visit(attentions, as: "attentions", visit)
        PoseEngine.visit(downsampler, as: "downsamplers.0", visit)
    }

    func forward(_ x: Tensor, timeEmbedding: Tensor, context: Tensor, skips: inout [Tensor]) -> Tensor {
        var h = x
        for (j, resnet) in resnets.enumerated() {
            h = resnet.forward(h, timeEmbedding: timeEmbedding)
            if !attentions.isEmpty { h = attentions[j].forward(h, context: context) }
            skips.append(h)
        }
        if let downsampler {
            h = downsampler.forward(h)
            skips.append(h)
        }
        return h
    }

    /// `skipGradients` holds dL/dskip for this block's skips (popped from the end), or is empty
    /// when only the mid block's output is differentiated.
    func backward(_ gradOutput: Tensor, skipGradients: inout [Tensor], gradients: inout UNetSideGradients) -> Tensor {
        var d = gradOutput
        if let downsampler {
            if let skip = skipGradients.popLast() { d.add(skip) }
            d = downsampler.backward(d)
        }
        for j in resnets.indices.reversed() {
            if let skip = skipGradients.popLast() { d.add(skip) }
            if !attentions.isEmpty { d = attentions[j].backward(d, contextGradient: &gradients.context) }
            d = resnets[j].backward(d, timeEmbeddingGradient: &gradients.timeEmbedding)
        }
        return d
    }
}

/// Gradients that flow to inputs shared by every block: the time embedding and the text context.
struct UNetSideGradients {
    var timeEmbedding: Tensor?
    var context: Tensor
}
