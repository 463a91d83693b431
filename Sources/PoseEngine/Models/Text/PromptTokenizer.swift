/// Word-level tokens for PoseStudio's prompt vocabulary.
///
/// Ids: 0 padding, 1 start, 2 end, 3 an unknown word, then the vocabulary in
/// order. Every prompt becomes exactly `length` ids: start, words (truncated),
/// end, padding.
public struct PromptTokenizer: Sendable {
    public static let padding = 0, start = 1, end = 2, unknown = 3
    public static let reserved = 4

    public let words: [String]
    public let length: Int
    private let ids: [String: Int]

    public init(words: [String], length: Int) {
        precondition(length >= 2, "a prompt needs room for its start and end tokens")
        self.words = words
        self.length = length
        var ids: [String: Int] = [:]
        for (i, word) in words.enumerated() where ids[word] == nil { ids[word] = i + Self.reserved }
        self.ids = ids
    }

    public var vocabularySize: Int { words.count + Self.reserved }

    /// Lower-cased words of letters, in order; everything else separates words.
    public static func words(in prompt: String) -> [String] {
        prompt.lowercased().split { !$0.isLetter }.map(String.init)
    }

    public func encode(_ prompt: String) -> [Int] {
        var tokens = [Self.start]
        for word in Self.words(in: prompt).prefix(length - 2) { tokens.append(ids[word] ?? Self.unknown) }
        tokens.append(Self.end)
        return tokens + Array(repeating: Self.padding, count: length - tokens.count)
    }

    /// The words of `prompt` the vocabulary does not know (the encoder cannot use them).
    public func unknownWords(in prompt: String) -> [String] {
        Self.words(in: prompt).filter { ids[$0] == nil }
    }
}
