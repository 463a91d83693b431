/// DownEncoderBlock2D: resnets, then (except in the last block) a stride-2
/// convolution padded only on the right and bottom.
final class VAEDownBlock: ParameterVisitable {
    let resnets: [ResnetBlock2D]
    let downsampler: Downsample2D?

    init(inChannels: Int, outChannels: Int, layers: Int, groups: Int, addDownsample: Bool, generator: inout SeededGenerator) {
        var resnets: [ResnetBlock2D] = []
        for j in 0..<layers {
            resnets.append(ResnetBlock2D(inChannels: j == 0 ? inChannels : outChannels, outChannels: outChannels,
                                         timeEmbeddingChannels: nil, groups: groups, eps: 1e-6, generator: &generator))
        }
        self.resnets = resnets
        downsampler = addDownsample
            ? Downsample2D(channels: outChannels, padding: Padding2D(top: 0, left: 0, bottom: 1, right: 1), generator: &generator)
            : nil
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(resnets, as: "resnets", visit)
        PoseEngine.visit(downsampler, as: "downsamplers.0", visit)
    }

    func forward(_ x: Tensor) -> Tensor {
        let h = resnets.forward(x)
        return downsampler?.forward(h) ?? h
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        resnets.backward(downsampler?.backward(gradOutput) ?? gradOutput)
    }
}

/// diffusers' VAE Encoder: image -> 2 x latent_channels moments (mean, log-variance).
final class VAEEncoder: ParameterVisitable {
    let convIn: Conv2d
    let downBlocks: [VAEDownBlock]
    let midBlock: VAEMidBlock
    let convNormOut: GroupNorm
    let convOut: Conv2d

    init(config: AutoencoderKLConfig, generator: inout SeededGenerator) {
        let channels = config.blockOutChannels
        convIn = Conv2d(config.inChannels, channels[0], kernel: 3, padding: 1, generator: &generator)
        var blocks: [VAEDownBlock] = []
        var outputChannels = channels[0]
        for i in channels.indices {
            let inputChannels = outputChannels
            outputChannels = channels[i]
            blocks.append(VAEDownBlock(inChannels: inputChannels, outChannels: outputChannels, layers: config.layersPerBlock,
                                       groups: config.normNumGroups, addDownsample: i < channels.count - 1, generator: &generator))
        }
        downBlocks = blocks
        let last = channels[channels.count - 1]
        midBlock = VAEMidBlock(channels: last, groups: config.normNumGroups, addAttention: config.midBlockAddAttention,
                               generator: &generator)
        convNormOut = GroupNorm(groups: config.normNumGroups, channels: last, eps: 1e-6, fusedSiLU: true)
        convOut = Conv2d(last, 2 * config.latentChannels, kernel: 3, padding: 1, generator: &generator)
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(convIn, as: "conv_in", visit)
        PoseEngine.visit(downBlocks, as: "down_blocks", visit)
        PoseEngine.visit(midBlock, as: "mid_block", visit)
        PoseEngine.visit(convNormOut, as: "conv_norm_out", visit)
        PoseEngine.visit(convOut, as: "conv_out", visit)
    }

    func forward(_ x: Tensor) -> Tensor {
        var h = convIn.forward(x)
        for block in downBlocks { h = block.forward(h) }
        h = midBlock.forward(h)
        return convOut.forward(convNormOut.forward(h))
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        var d = convNormOut.backward(convOut.backward(gradOutput))
        d = midBlock.backward(d)
        for block in downBlocks.reversed() { d = block.backward(d) }
        return convIn.backward(d)
    }
}
