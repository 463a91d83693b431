/// What one UNet forward gives its callers: the noise prediction, the down path's
/// feature maps the pose readout head reads, and each up block's output
/// (decoder features, for heads that read them too).
public struct UNetOutput: Sendable {
    public var sample: Tensor
    public var downPath: UNetDownPath
    public var decoderFeatures: [Tensor]

    public var midBlock: Tensor { downPath.midBlock }
}

/// Gradients of a loss with respect to the UNet's inputs.
public struct UNetInputGradients: Sendable {
    public var sample: Tensor
    public var context: Tensor
}

/// diffusers' UNet2DConditionModel, built from its config.json with its weight
/// names, so that a diffusers checkpoint of the supported configuration loads
/// as it is.
///
/// Backward passes follow the most recent forward: `backward(_:)` after
/// `forward`; `backwardFromDownPath(_:)` and `backwardFromMidBlock(_:)` after
/// `forward`, `forwardDownPath` or `forwardToMidBlock`.
public final class UNet2DConditionModel: ParameterVisitable {
    public let config: UNet2DConditionConfig
    let convIn: Conv2d
    let timeEmbedding: TimestepEmbedding
    let downBlocks: [UNetDownBlock]
    let midBlock: UNetMidBlock
    let upBlocks: [UNetUpBlock]
    let convNormOut: GroupNorm
    let convOut: Conv2d

    private struct Trace {
        var timeEmbedding: Tensor
        var contextShape: [Int]
        var skipShapes: [[Int]]
        var reachedUpPath: Bool
    }
    private var trace: Trace?

    public init(config: UNet2DConditionConfig, seed: UInt64 = 0) throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw ModelConfigError.unsupported(model: "UNet2DConditionModel", problems: problems) }
        self.config = config
        var generator = SeededGenerator(seed: seed)
        let channels = config.blockOutChannels
        convIn = Conv2d(config.inChannels, channels[0], kernel: 3, padding: 1, generator: &generator)
        timeEmbedding = TimestepEmbedding(channels[0], config.timeEmbeddingDim, generator: &generator)

        var down: [UNetDownBlock] = []
        var outputChannels = channels[0]
        for (i, type) in config.downBlockTypes.enumerated() {
            let inputChannels = outputChannels
            outputChannels = channels[i]
            down.append(UNetDownBlock(
                inChannels: inputChannels, outChannels: outputChannels, config: config, blockIndex: i,
                hasCrossAttention: type == "CrossAttnDownBlock2D", addDownsample: i < channels.count - 1,
                generator: &generator))
        }
        downBlocks = down
        midBlock = UNetMidBlock(channels: channels[channels.count - 1], config: config, generator: &generator)

        var up: [UNetUpBlock] = []
        let reversed = Array(channels.reversed())
        let reversedHeadsIndex = Array((0..<channels.count).reversed())
        outputChannels = reversed[0]
        for (i, type) in config.upBlockTypes.enumerated() {
            let previous = outputChannels
            outputChannels = reversed[i]
            let inputChannels = reversed[min(i + 1, channels.count - 1)]
            up.append(UNetUpBlock(
                inChannels: inputChannels, outChannels: outputChannels, previousOutChannels: previous, config: config,
                headsIndex: reversedHeadsIndex[i], hasCrossAttention: type == "CrossAttnUpBlock2D",
                addUpsample: i < channels.count - 1, generator: &generator))
        }
        upBlocks = up
        convNormOut = GroupNorm(groups: config.normNumGroups, channels: channels[0], eps: config.normEps, fusedSiLU: true)
        convOut = Conv2d(channels[0], config.outChannels, kernel: 3, padding: 1, generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(convIn, as: "conv_in", visit)
        PoseEngine.visit(timeEmbedding, as: "time_embedding", visit)
        PoseEngine.visit(downBlocks, as: "down_blocks", visit)
        PoseEngine.visit(midBlock, as: "mid_block", visit)
        PoseEngine.visit(upBlocks, as: "up_blocks", visit)
        PoseEngine.visit(convNormOut, as: "conv_norm_out", visit)
        PoseEngine.visit(convOut, as: "conv_out", visit)
    }

    /// The full forward pass. `sample` [N, C, H, W]; one timestep per batch
    /// element; `context` [N, L, cross_attention_dim].
    public func forward(_ sample: Tensor, timesteps: [Float], context: Tensor) -> UNetOutput {
        var skips: [Tensor] = []
        let (mid, temb) = runDownAndMid(sample, timesteps: timesteps, context: context, skips: &skips)
        let downPath = UNetDownPath(midBlock: mid, skips: skips)
        var h = mid
        var decoderFeatures: [Tensor] = []
        for block in upBlocks {
            h = block.forward(h, timeEmbedding: temb, context: context, skips: &skips)
            decoderFeatures.append(h)
        }
        let out = convOut.forward(convNormOut.forward(h))
        trace?.reachedUpPath = true
        return UNetOutput(sample: out, downPath: downPath, decoderFeatures: decoderFeatures)
    }

    /// Runs only conv_in, the down path and the mid block: all that pose guidance needs.
    public func forwardDownPath(_ sample: Tensor, timesteps: [Float], context: Tensor) -> UNetDownPath {
        var skips: [Tensor] = []
        let mid = runDownAndMid(sample, timesteps: timesteps, context: context, skips: &skips).mid
        return UNetDownPath(midBlock: mid, skips: skips)
    }

    /// The mid block's output alone (see `forwardDownPath`).
    public func forwardToMidBlock(_ sample: Tensor, timesteps: [Float], context: Tensor) -> Tensor {
        forwardDownPath(sample, timesteps: timesteps, context: context).midBlock
    }

    /// dL/dsample and dL/dcontext for a loss on the down path's feature maps; parameter
    /// gradients of conv_in, the down path, the mid block and the time MLP accumulate.
    public func backwardFromDownPath(_ gradient: UNetDownPathGradient) -> UNetInputGradients {
        guard let trace else { fatalError("UNet backward called before forward") }
        // The down blocks pop one gradient per skip they made, so every skip needs one.
        var skipGradients = gradient.skips.isEmpty ? [] : trace.skipShapes.indices.map { index in
            gradient.skips[index] ?? Tensor(zeros: trace.skipShapes[index])
        }
        return backwardDownPath(gradient.midBlock, skipGradients: &skipGradients)
    }

    /// dL/dsample and dL/dcontext for a loss on the mid-block output alone.
    public func backwardFromMidBlock(_ gradMid: Tensor) -> UNetInputGradients {
        backwardFromDownPath(UNetDownPathGradient(midBlock: gradMid))
    }

    /// The full backward for a loss on the output `sample` (training).
    public func backward(_ gradOutput: Tensor) -> UNetInputGradients {
        guard trace?.reachedUpPath == true else { fatalError("UNet.backward needs a full forward first") }
        var d = convNormOut.backward(convOut.backward(gradOutput))
        var skipGradients: [Tensor] = []
        var side = UNetSideGradients(timeEmbedding: nil, context: Tensor(zeros: trace?.contextShape ?? []))
        for block in upBlocks.reversed() {
            d = block.backward(d, skipGradients: &skipGradients, gradients: &side)
        }
        // Walking the up path backwards meets the skips in the order the down path pushed them,
        // so the down path can pop its own gradients off the end.
        return backwardDownPath(d, skipGradients: &skipGradients, side: side)
    }

    private func runDownAndMid(_ sample: Tensor, timesteps: [Float], context: Tensor,
                               skips: inout [Tensor]) -> (mid: Tensor, timeEmbedding: Tensor) {
        precondition(sample.rank == 4 && sample.shape[1] == config.inChannels, "UNet sample shape \(sample.shape)")
        precondition(timesteps.count == sample.shape[0], "one timestep per batch element")
        precondition(context.rank == 3 && context.shape[0] == sample.shape[0] && context.shape[2] == config.crossAttentionDim,
                     "UNet context shape \(context.shape)")
        let input = config.centerInputSample ? sample.map { 2 * $0 - 1 } : sample
        let features = SinusoidalTimesteps.features(timesteps, dim: config.blockOutChannels[0],
                                                    flipSinToCos: config.flipSinToCos, freqShift: config.freqShift)
        let temb = timeEmbedding.forward(features)
        var h = convIn.forward(input)
        skips.append(h)
        for block in downBlocks {
            h = block.forward(h, timeEmbedding: temb, context: context, skips: &skips)
        }
        let mid = midBlock.forward(h, timeEmbedding: temb, context: context)
        trace = Trace(timeEmbedding: temb, contextShape: context.shape, skipShapes: skips.map(\.shape), reachedUpPath: false)
        return (mid, temb)
    }

    private func backwardDownPath(_ gradMid: Tensor, skipGradients: inout [Tensor],
                                  side existing: UNetSideGradients? = nil) -> UNetInputGradients {
        guard let trace else { fatalError("UNet backward called before forward") }
        var side = existing ?? UNetSideGradients(timeEmbedding: nil, context: Tensor(zeros: trace.contextShape))
        var d = midBlock.backward(gradMid, gradients: &side)
        for block in downBlocks.reversed() {
            d = block.backward(d, skipGradients: &skipGradients, gradients: &side)
        }
        if let skip = skipGradients.popLast() { d.add(skip) }
        var dSample = convIn.backward(d)
        if config.centerInputSample { dSample.scale(by: 2) }
        if let dTemb = side.timeEmbedding { _ = timeEmbedding.backward(dTemb) }
        return UNetInputGradients(sample: dSample, context: side.context)
    }
}
