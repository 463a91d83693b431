/// Maps a face image to a unit-length identity embedding: the same person
/// under any pose, style or light should land close, different people far.
/// Features are averaged over the image, so the embedding does not depend on
/// where the head is.
public final class FaceEncoder: ParameterVisitable {
    public let config: ConvEncoderConfig
    let trunk: ConvTrunk
    let head: Sequential

    public init(config: ConvEncoderConfig, seed: UInt64 = 0) throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw ModelConfigError.unsupported(model: "FaceEncoder", problems: problems) }
        self.config = config
        var generator = SeededGenerator(seed: seed)
        trunk = ConvTrunk(config: config, generator: &generator)
        let channels = config.blockOutChannels[config.blockOutChannels.count - 1]
        head = Sequential([
            GlobalAveragePool(),
            Linear(channels, config.hiddenDim, generator: &generator), SiLU(),
            Linear(config.hiddenDim, config.outputDim, generator: &generator),
            L2Normalize(),
        ])
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(trunk, as: "trunk", visit)
        PoseEngine.visit(head, as: "head", visit)
    }

    public var embeddingDim: Int { config.outputDim }

    /// Images [N, 3, S, S] in [-1, 1] -> embeddings [N, D], each of length 1.
    public func forward(_ images: Tensor) -> Tensor { head.forward(trunk.forward(images)) }
    public func backward(_ gradEmbeddings: Tensor) -> Tensor { trunk.backward(head.backward(gradEmbeddings)) }
}
