/// Face0's projector: a 4-layer MLP from a face embedding to `numTokens`
/// context tokens (GELU between layers, LayerNorm per token so the tokens
/// live on the same scale as the text encoder's normalised output). The tokens
/// replace the LAST `numTokens` tokens of the text context.
public final class FaceProjector: ParameterVisitable {
    public let config: FaceProjectorConfig
    let mlp: Sequential
    let norm: LayerNorm

    public init(config: FaceProjectorConfig, seed: UInt64 = 0) throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw ModelConfigError.unsupported(model: "FaceProjector", problems: problems) }
        self.config = config
        var generator = SeededGenerator(seed: seed)
        let (e, h, out) = (config.embeddingDim, config.hiddenDim, config.numTokens * config.crossAttentionDim)
        mlp = Sequential([
            Linear(e, h, generator: &generator), GELU(),
            Linear(h, h, generator: &generator), GELU(),
            Linear(h, h, generator: &generator), GELU(),
            Linear(h, out, generator: &generator),
        ])
        norm = LayerNorm(config.crossAttentionDim)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(mlp, as: "mlp", visit)
        PoseEngine.visit(norm, as: "norm", visit)
    }

    /// Embeddings [N, E] -> face tokens [N, numTokens, cross_attention_dim].
    public func forward(_ embeddings: Tensor) -> Tensor {
        let tokens = mlp.forward(embeddings).reshaped([embeddings.shape[0], config.numTokens, config.crossAttentionDim])
        return norm.forward(tokens)
    }

    public func backward(_ gradTokens: Tensor) -> Tensor {
        let d = norm.backward(gradTokens)
        return mlp.backward(d.reshaped([d.shape[0], config.numTokens * config.crossAttentionDim]))
    }
}
