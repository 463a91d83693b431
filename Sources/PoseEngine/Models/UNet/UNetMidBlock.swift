/// UNetMidBlock2DCrossAttn: resnet, transformer, resnet. Its output is what
/// the pose readout head reads.
final class UNetMidBlock: ParameterVisitable {
    let resnets: [ResnetBlock2D]
    let attention: Transformer2DModel

    init(channels: Int, config: UNet2DConditionConfig, generator: inout SeededGenerator) {
        let last = config.blockOutChannels.count - 1
        let first = ResnetBlock2D(inChannels: channels, outChannels: channels, timeEmbeddingChannels: config.timeEmbeddingDim,
                                  groups: config.normNumGroups, eps: config.normEps, generator: &generator)
        attention = Transformer2DModel(channels: channels, heads: config.headsPerBlock[last], contextDim: config.crossAttentionDim,
                                       groups: config.normNumGroups, layers: config.transformerLayers[last],
                                       linearProjection: config.useLinearProjection, generator: &generator)
        let second = ResnetBlock2D(inChannels: channels, outChannels: channels, timeEmbeddingChannels: config.timeEmbeddingDim,
                                   groups: config.normNumGroups, eps: config.normEps, generator: &generator)
        resnets = [first, second]
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(resnets, as: "resnets", visit)
        PoseEngine.visit([attention], as: "attentions", visit)
    }

    func forward(_ x: Tensor, timeEmbedding: Tensor, context: Tensor) -> Tensor {
        let h = resnets[0].forward(x, timeEmbedding: timeEmbedding)
        return resnets[1].forward(attention.forward(h, context: context), timeEmbedding: timeEmbedding)
    }

    func backward(_ gradOutput: Tensor, gradients: inout UNetSideGradients) -> Tensor {
        var d = resnets[1].backward(gradOutput, timeEmbeddingGradient: &gradients.timeEmbedding)
        d = attention.backward(d, contextGradient: &gradients.context)
        return resnets[0].backward(d, timeEmbeddingGradient: &gradients.timeEmbedding)
    }
}
