/// The Mid-U readout head: predicts the normalised pose (pitch, yaw, x, y,
/// scale) of the image being generated from the UNet's mid-block features
/// (and, if its config says so, finer skips of the down path) and the timestep.
///
/// As in Readout Guidance: a bottleneck (1x1 -> 3x3 -> 1x1 convolutions with
/// GroupNorm) whose middle receives a projection of the timestep embedding,
/// with a residual connection; then, because position matters, the feature
/// map is flattened (not pooled) into a small MLP. Each skip read passes
/// through the config's 3x3 convolutions at its own side, is brought to the
/// mid block's side by a patch-wise strided convolution and is added into the
/// bottleneck beside the mid block's reduction.
public final class PoseReadoutHead: ParameterVisitable {
    public private(set) var config: PoseReadoutHeadConfig
    let reduce: Sequential
    let skipReaders: [Sequential]
    let spatial: Conv2d
    let spatialNorm: GroupNorm
    let timeProjection: Sequential
    let expand: Conv2d
    let outputNorm: GroupNorm
    let mlp: Sequential

    public init(config: PoseReadoutHeadConfig, seed: UInt64 = 0) throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw ModelConfigError.unsupported(model: "PoseReadoutHead", problems: problems) }
        self.config = config
        var g = SeededGenerator(seed: seed)
        let (c, b, groups) = (config.inChannels, config.bottleneckChannels, config.normNumGroups)
        reduce = Sequential([Conv2d(c, b, kernel: 1, generator: &g), GroupNorm(groups: groups, channels: b, eps: 1e-5, fusedSiLU: true)])
        skipReaders = config.skipReads.map { read in
            var layers: [Layer] = []
            for _ in 0..<config.readerLayers {
                layers += [Conv2d(read.channels, read.channels, kernel: 3, padding: 1, generator: &g),
                           GroupNorm(groups: groups, channels: read.channels, eps: 1e-5, fusedSiLU: true)]
            }
            let patch = read.side / config.featureSize
            return Sequential(layers + [Conv2d(read.channels, b, kernel: patch, stride: patch, padding: 0, generator: &g),
                                        GroupNorm(groups: groups, channels: b, eps: 1e-5, fusedSiLU: true)])
        }
        spatial = Conv2d(b, b, kernel: 3, padding: 1, generator: &g)
        timeProjection = Sequential([Linear(config.timestepDim, b, generator: &g), SiLU(), Linear(b, b, generator: &g)])
        spatialNorm = GroupNorm(groups: groups, channels: b, eps: 1e-5, fusedSiLU: true)
        expand = Conv2d(b, c, kernel: 1, generator: &g)
        outputNorm = GroupNorm(groups: groups, channels: c, eps: 1e-5, fusedSiLU: true)
        let flat = c * config.featureSize * config.featureSize
        mlp = Sequential([Flatten(), Linear(flat, config.hiddenDim, generator: &g), SiLU(),
                          Linear(config.hiddenDim, config.outputs, generator: &g)])
    }

    /// Forgets the config's guidance gains and calibration: they were measured for weights this
    /// head no longer has.
    public func dropGuidanceMeasurements() {
        config.guidanceGains = nil
        config.guidanceCalibration = nil
    }

    /// Records the timestep the head is trained below (nil: all of them).
    public func setMaxTimestep(_ timestep: Int?) {
        config.maxTimestep = timestep
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(reduce, as: "reduce", visit)
        PoseEngine.visit(skipReaders, as: "skip_readers", visit)
        PoseEngine.visit(spatial, as: "spatial", visit)
        PoseEngine.visit(timeProjection, as: "time_proj", visit)
        PoseEngine.visit(spatialNorm, as: "spatial_norm", visit)
        PoseEngine.visit(expand, as: "expand", visit)
        PoseEngine.visit(outputNorm, as: "output_norm", visit)
        PoseEngine.visit(mlp, as: "mlp", visit)
    }

    /// The down path's features (mid block [N, C, s, s], and the skips the config names) and one
    /// timestep per row -> normalised pose [N, 5].
    public func forward(_ path: UNetDownPath, timesteps: [Float]) -> Tensor {
        let features = path.midBlock
        precondition(features.rank == 4 && features.shape[1] == config.inChannels && features.shape[2] == config.featureSize,
                     "PoseReadoutHead expects [N, \(config.inChannels), \(config.featureSize), \(config.featureSize)], got \(features.shape)")
        var reduced = reduce.forward(features)
        for (reader, read) in zip(skipReaders, config.skipReads) {
            precondition(path.skips.indices.contains(read.index), "PoseReadoutHead reads skip \(read.index) of \(path.skips.count)")
            reduced.add(reader.forward(path.skips[read.index]))
        }
        var h = spatial.forward(reduced)
        let t = timeProjection.forward(SinusoidalTimesteps.features(timesteps, dim: config.timestepDim))
        ResnetBlock2D.addPerChannel(t, to: &h)
        var residual = expand.forward(spatialNorm.forward(h))
        residual.add(features)
        return mlp.forward(outputNorm.forward(residual))
    }

    /// dL/d(features read) for dL/dpose; parameter gradients accumulate.
    public func backward(_ gradPose: Tensor) -> UNetDownPathGradient {
        let dResidual = outputNorm.backward(mlp.backward(gradPose))
        let dh = spatialNorm.backward(expand.backward(dResidual))
        _ = timeProjection.backward(ResnetBlock2D.sumPerChannel(dh))
        let dReduced = spatial.backward(dh)
        var dMid = reduce.backward(dReduced)
        dMid.add(dResidual)
        var gradient = UNetDownPathGradient(midBlock: dMid)
        for (reader, read) in zip(skipReaders, config.skipReads) {
            gradient.skips[read.index] = reader.backward(dReduced)
        }
        return gradient
    }
}
