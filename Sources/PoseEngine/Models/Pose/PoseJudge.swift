/// The judge: a pixel-space pose estimator for decoded RGB images, trained on
/// clean renders with exact labels. It measures fidelity and is never used
/// for guidance. The final feature map is flattened so position survives.
public final class PoseJudge: ParameterVisitable {
    public let config: ConvEncoderConfig
    let trunk: ConvTrunk
    let head: Sequential

    public init(config: ConvEncoderConfig, seed: UInt64 = 0) throws {
        var problems = config.problems()
        if config.outputDim != PoseValues.count { problems.append("output_dim must be \(PoseValues.count) (pitch, yaw, x, y, scale)") }
        guard problems.isEmpty else { throw ModelConfigError.unsupported(model: "PoseJudge", problems: problems) }
        self.config = config
        var generator = SeededGenerator(seed: seed)
        trunk = ConvTrunk(config: config, generator: &generator)
        let channels = config.blockOutChannels[config.blockOutChannels.count - 1]
        let flat = channels * config.featureSize * config.featureSize
        head = Sequential([
            Flatten(),
            Linear(flat, config.hiddenDim, generator: &generator), SiLU(),
            Linear(config.hiddenDim, config.outputDim, generator: &generator),
        ])
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(trunk, as: "trunk", visit)
        PoseEngine.visit(head, as: "head", visit)
    }

    /// Images [N, 3, S, S] in [-1, 1] -> normalised poses [N, 5].
    public func forward(_ images: Tensor) -> Tensor { head.forward(trunk.forward(images)) }
    public func backward(_ gradPose: Tensor) -> Tensor { trunk.backward(head.backward(gradPose)) }

    public func estimate(_ images: Tensor) -> [PoseValues] { PoseValues.rows(of: forward(images)) }
}
