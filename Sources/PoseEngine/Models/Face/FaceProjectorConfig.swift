/// config.json of the Face0 projector: embedding -> tokens context tokens.
public struct FaceProjectorConfig: Codable, Sendable, Equatable {
    public var embeddingDim: Int
    public var hiddenDim: Int
    public var numTokens: Int
    public var crossAttentionDim: Int

    enum CodingKeys: String, CodingKey {
        case embeddingDim = "embedding_dim", hiddenDim = "hidden_dim", numTokens = "num_tokens"
        case crossAttentionDim = "cross_attention_dim"
    }

    public init(embeddingDim: Int, hiddenDim: Int, numTokens: Int = 3, crossAttentionDim: Int) {
        self.embeddingDim = embeddingDim
        self.hiddenDim = hiddenDim
        self.numTokens = numTokens
        self.crossAttentionDim = crossAttentionDim
    }

    public func problems() -> [String] {
        let sizes = [("embedding_dim", embeddingDim), ("hidden_dim", hiddenDim), ("num_tokens", numTokens),
                     ("cross_attention_dim", crossAttentionDim)]
        let notPositive = sizes.allSatisfy { $0.1 > 0 }
            ? [] : ["embedding_dim, hidden_dim, num_tokens and cross_attention_dim must be positive"]
        return notPositive + ModelConfigLimits.problems(widths: sizes.map { (key: $0.0, value: $0.1) })
    }
}
