/// A small CLIP-style text encoder's config.json (transformers' CLIPTextConfig keys).
public struct TextEncoderConfig: Codable, Sendable, Equatable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var maxPositionEmbeddings: Int
    /// The words behind ids 4..., in order (see PromptTokenizer).
    public var vocabulary: [String]

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers", numAttentionHeads = "num_attention_heads"
        case maxPositionEmbeddings = "max_position_embeddings", vocabulary
    }

    public init(vocabulary: [String], hiddenSize: Int, layers: Int, heads: Int, length: Int) {
        self.vocabulary = vocabulary
        vocabSize = vocabulary.count + PromptTokenizer.reserved
        self.hiddenSize = hiddenSize
        intermediateSize = 4 * hiddenSize
        numHiddenLayers = layers
        numAttentionHeads = heads
        maxPositionEmbeddings = length
    }

    public func problems() -> [String] {
        var problems: [String] = []
        if vocabSize != vocabulary.count + PromptTokenizer.reserved {
            problems.append("vocab_size \(vocabSize) does not match the \(vocabulary.count) vocabulary words + \(PromptTokenizer.reserved) reserved ids")
        }
        if hiddenSize <= 0 || numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0 {
            problems.append("hidden_size \(hiddenSize) does not split into \(numAttentionHeads) heads")
        }
        if !(2...4096).contains(maxPositionEmbeddings) { problems.append("max_position_embeddings \(maxPositionEmbeddings) is out of range") }
        if !(0...64).contains(numHiddenLayers) { problems.append("num_hidden_layers \(numHiddenLayers) is out of range") }
        if intermediateSize <= 0 { problems.append("intermediate_size must be positive") }
        problems += ModelConfigLimits.problems(widths: [("hidden_size", hiddenSize), ("intermediate_size", intermediateSize)])
        return problems
    }
}
