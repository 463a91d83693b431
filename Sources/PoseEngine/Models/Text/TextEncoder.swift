/// One pre-LayerNorm transformer layer with CLIP's names:
/// x + self_attn(layer_norm1(x)), then + mlp.fc2(GELU(mlp.fc1(layer_norm2(x)))).
final class TextEncoderLayer: ParameterVisitable {
    let layerNorm1: LayerNorm
    let selfAttention: Attention
    let layerNorm2: LayerNorm
    let mlp: Sequential

    init(hidden: Int, intermediate: Int, heads: Int, generator: inout SeededGenerator) {
        layerNorm1 = LayerNorm(hidden)
        selfAttention = Attention(queryDim: hidden, heads: heads, headDim: hidden / heads, qkvBias: true,
                                  names: .clip, generator: &generator)
        layerNorm2 = LayerNorm(hidden)
        mlp = Sequential([Linear(hidden, intermediate, generator: &generator), GELU(),
                          Linear(intermediate, hidden, generator: &generator)])
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(layerNorm1, as: "layer_norm1", visit)
        PoseEngine.visit(selfAttention, as: "self_attn", visit)
        PoseEngine.visit(layerNorm2, as: "layer_norm2", visit)
        PoseEngine.visit(mlp.layers[0], as: "mlp.fc1", visit)
        PoseEngine.visit(mlp.layers[2], as: "mlp.fc2", visit)
    }

    func forward(_ x: Tensor) -> Tensor {
        var h = x
        h.add(selfAttention.forward(layerNorm1.forward(h)))
        h.add(mlp.forward(layerNorm2.forward(h)))
        return h
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        var d = gradOutput
        d.add(layerNorm2.backward(mlp.backward(d)))
        d.add(layerNorm1.backward(selfAttention.backward(d).input))
        return d
    }
}

/// PoseStudio's text encoder: token + position embeddings, transformer layers
/// and a final LayerNorm, giving the [N, L, hidden] context the UNet attends to.
/// Bidirectional (no causal mask): prompts are short and the encoder is
/// trained with the UNet, so every token may see the whole prompt.
public final class TextEncoder: ParameterVisitable {
    public let config: TextEncoderConfig
    public let tokenizer: PromptTokenizer
    let tokenEmbedding: Embedding
    let positionEmbedding: Parameter
    let layers: [TextEncoderLayer]
    let finalLayerNorm: LayerNorm
    private var batch = 0

    public init(config: TextEncoderConfig, seed: UInt64 = 0) throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw ModelConfigError.unsupported(model: "TextEncoder", problems: problems) }
        self.config = config
        tokenizer = PromptTokenizer(words: config.vocabulary, length: config.maxPositionEmbeddings)
        var generator = SeededGenerator(seed: seed)
        tokenEmbedding = Embedding(count: config.vocabSize, dimension: config.hiddenSize, generator: &generator)
        positionEmbedding = Parameter(Tensor.randomNormal([config.maxPositionEmbeddings, config.hiddenSize], std: 0.01,
                                                          generator: &generator))
        layers = (0..<config.numHiddenLayers).map { _ in
            TextEncoderLayer(hidden: config.hiddenSize, intermediate: config.intermediateSize,
                             heads: config.numAttentionHeads, generator: &generator)
        }
        finalLayerNorm = LayerNorm(config.hiddenSize)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(tokenEmbedding, as: "text_model.embeddings.token_embedding", visit)
        visit("text_model.embeddings.position_embedding.weight", positionEmbedding)
        PoseEngine.visit(layers, as: "text_model.encoder.layers", visit)
        PoseEngine.visit(finalLayerNorm, as: "text_model.final_layer_norm", visit)
    }

    public var contextLength: Int { config.maxPositionEmbeddings }

    public func encode(_ prompts: [String]) -> Tensor {
        forward(ids: prompts.flatMap(tokenizer.encode))
    }

    /// Token ids, `contextLength` per prompt, -> context [N, L, hidden].
    public func forward(ids: [Int]) -> Tensor {
        let length = config.maxPositionEmbeddings, hidden = config.hiddenSize
        batch = ids.count / length
        var h = tokenEmbedding.forward(ids: ids, shape: [batch, length])
        h.withMutablePointer { hp in
            positionEmbedding.value.withPointer { pp in
                for n in 0..<batch {
                    for i in 0..<(length * hidden) { hp[n * length * hidden + i] += pp[i] }
                }
            }
        }
        for layer in layers { h = layer.forward(h) }
        return finalLayerNorm.forward(h)
    }

    /// Accumulates parameter gradients for dL/dcontext (tokens themselves have no gradient).
    public func backward(_ gradContext: Tensor) {
        var d = finalLayerNorm.backward(gradContext)
        for layer in layers.reversed() { d = layer.backward(d) }
        if positionEmbedding.requiresGradient {
            let block = config.maxPositionEmbeddings * config.hiddenSize
            d.withPointer { dp in
                positionEmbedding.gradient.withMutablePointer { gp in
                    for n in 0..<batch {
                        for i in 0..<block { gp[i] += dp[n * block + i] }
                    }
                }
            }
        }
        tokenEmbedding.backward(d)
    }
}
