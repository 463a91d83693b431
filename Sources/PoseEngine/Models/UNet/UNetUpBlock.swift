/// UpBlock2D / CrossAttnUpBlock2D: layers_per_block + 1 resnets, each taking
/// the running features concatenated with one skip (the last skip first),
/// optionally followed by a transformer; then an optional 2x upsampler.
final class UNetUpBlock: ParameterVisitable {
    let resnets: [ResnetBlock2D]
    let attentions: [Transformer2DModel]
    let upsampler: Upsample2D?
    private var splitChannels: [Int] = []

    init(inChannels: Int, outChannels: Int, previousOutChannels: Int, config: UNet2DConditionConfig, headsIndex: Int,
         hasCrossAttention: Bool, addUpsample: Bool, generator: inout SeededGenerator) {
        let count = config.layersPerBlock + 1
        var resnets: [ResnetBlock2D] = []
        var attentions: [Transformer2DModel] = []
        for j in 0..<count {
            let skipChannels = j == count - 1 ? inChannels : outChannels
            let runningChannels = j == 0 ? previousOutChannels : outChannels
            resnets.append(ResnetBlock2D(
                inChannels: runningChannels + skipChannels, outChannels: outChannels,
                timeEmbeddingChannels: config.timeEmbeddingDim, groups: config.normNumGroups, eps: config.normEps,
                generator: &generator))
            if hasCrossAttention {
                attentions.append(Transformer2DModel(
                    channels: outChannels, heads: config.headsPerBlock[headsIndex], contextDim: config.crossAttentionDim,
                    groups: config.normNumGroups, layers: config.transformerLayers[headsIndex],
                    linearProjection: config.useLinearProjection, generator: &generator))
            }
        }
        self.resnets = resnets
        self.attentions = attentions
        upsampler = addUpsample ? Upsample2D(channels: outChannels, generator: &generator) : nil
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(resnets, as: "resnets", visit)
        PoseEngine.visit(attentions, as: "attentions", visit)
        PoseEngine.visit(upsampler, as: "upsamplers.0", visit)
    }

    func forward(_ x: Tensor, timeEmbedding: Tensor, context: Tensor, skips: inout [Tensor]) -> Tensor {
        var h = x
        splitChannels = []
        for (j, resnet) in resnets.enumerated() {
            guard let skip = skips.popLast() else { fatalError("UNet up block ran out of skip connections") }
            splitChannels.append(h.shape[1])
            h = resnet.forward(Layout.concatChannels(h, skip), timeEmbedding: timeEmbedding)
            if !attentions.isEmpty { h = attentions[j].forward(h, context: context) }
        }
        if let upsampler { h = upsampler.forward(h) }
        return h
    }

    /// Appends dL/dskip for each consumed skip to `skipGradients` in the order the
    /// skips were pushed by the down path (so the down path can pop them).
    func backward(_ gradOutput: Tensor, skipGradients: inout [Tensor], gradients: inout UNetSideGradients) -> Tensor {
        var d = gradOutput
        if let upsampler { d = upsampler.backward(d) }
        for j in resnets.indices.reversed() {
            if !attentions.isEmpty { d = attentions[j].backward(d, contextGradient: &gradients.context) }
            let dConcat = resnets[j].backward(d, timeEmbeddingGradient: &gradients.timeEmbedding)
            let (dRunning, dSkip) = Layout.splitChannels(dConcat, first: splitChannels[j])
            skipGradients.append(dSkip)
            d = dRunning
        }
        return d
    }
}
