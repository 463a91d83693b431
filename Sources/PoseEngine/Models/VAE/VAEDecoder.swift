/// UpDecoderBlock2D: layers_per_block + 1 resnets, then (except in the last block) 2x upsampling.
final class VAEUpBlock: ParameterVisitable {
    let resnets: [ResnetBlock2D]
    let upsampler: Upsample2D?

    init(inChannels: Int, outChannels: Int, layers: Int, groups: Int, addUpsample: Bool, generator: inout SeededGenerator) {
        var resnets: [ResnetBlock2D] = []
        for j in 0..<layers {
            resnets.append(ResnetBlock2D(inChannels: j == 0 ? inChannels : outChannels, outChannels: outChannels,
                                         timeEmbeddingChannels: nil, groups: groups, eps: 1e-6, generator: &generator))
        }
        self.resnets = resnets
        upsampler = addUpsample ? Upsample2D(channels: outChannels, generator: &generator) : nil
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(resnets, as: "resnets", visit)
        PoseEngine.visit(upsampler, as: "upsamplers.0", visit)
    }

    func forward(_ x: Tensor) -> Tensor {
        let h = resnets.forward(x)
        return upsampler?.forward(h) ?? h
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        resnets.backward(upsampler?.backward(gradOutput) ?? gradOutput)
    }
}

/// diffusers' VAE Decoder: latent -> image.
final class VAEDecoder: ParameterVisitable {
    let convIn: Conv2d
    let midBlock: VAEMidBlock
    let upBlocks: [VAEUpBlock]
    let convNormOut: GroupNorm
    let convOut: Conv2d

    init(config: AutoencoderKLConfig, generator: inout SeededGenerator) {
        let reversed = Array(config.blockOutChannels.reversed())
        convIn = Conv2d(config.latentChannels, reversed[0], kernel: 3, padding: 1, generator: &generator)
        midBlock = VAEMidBlock(channels: reversed[0], groups: config.normNumGroups, addAttention: config.midBlockAddAttention,
                               generator: &generator)
        var blocks: [VAEUpBlock] = []
        var outputChannels = reversed[0]
        for i in reversed.indices {
            let previous = outputChannels
            outputChannels = reversed[i]
            blocks.append(VAEUpBlock(inChannels: previous, outChannels: outputChannels, layers: config.layersPerBlock + 1,
                                     groups: config.normNumGroups, addUpsample: i < reversed.count - 1, generator: &generator))
        }
        upBlocks = blocks
        convNormOut = GroupNorm(groups: config.normNumGroups, channels: reversed[reversed.count - 1], eps: 1e-6, fusedSiLU: true)
        convOut = Conv2d(reversed[reversed.count - 1], config.outChannels, kernel: 3, padding: 1, generator: &generator)
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(convIn, as: "conv_in", visit)
        PoseEngine.visit(midBlock, as: "mid_block", visit)
        PoseEngine.visit(upBlocks, as: "up_blocks", visit)
        PoseEngine.visit(convNormOut, as: "conv_norm_out", visit)
        PoseEngine.visit(convOut, as: "conv_out", visit)
    }

    func forward(_ z: Tensor) -> Tensor {
        var h = midBlock.forward(convIn.forward(z))
        for block in upBlocks { h = block.forward(h) }
        return convOut.forward(convNormOut.forward(h))
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        var d = convNormOut.backward(convOut.backward(gradOutput))
        for block in upBlocks.reversed() { d = block.backward(d) }
        return convIn.backward(midBlock.backward(d))
    }
}
