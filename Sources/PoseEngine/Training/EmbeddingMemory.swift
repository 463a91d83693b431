/// The last `capacity` embeddings a contrastive trainer made, each with its person: the
/// cross-batch memory its loss meets besides the batch. The oldest rows leave first. The rows
/// are values, not part of any graph: no gradient reaches them.
public struct EmbeddingMemory: Sendable {
    public let capacity: Int
    public let dimension: Int
    public private(set) var rows: [Float] = []
    public private(set) var labels: [Int] = []

    public init(capacity: Int, dimension: Int) {
        precondition(capacity >= 0 && dimension > 0, "a memory holds a non-negative number of rows of positive width")
        (self.capacity, self.dimension) = (capacity, dimension)
    }

    public var isEmpty: Bool { labels.isEmpty }

    /// The remembered rows as [count, dimension].
    public var embeddings: Tensor { Tensor(shape: [labels.count, dimension], scalars: rows) }

    /// Appends `embeddings` [N, dimension] with their people, then forgets the oldest rows
    /// beyond the capacity.
    public mutating func remember(_ embeddings: Tensor, labels newLabels: [Int]) {
        precondition(embeddings.shape == [newLabels.count, dimension], "one label per embedding of the memory's width")
        rows += embeddings.scalars
        labels += newLabels
        let excess = labels.count - capacity
        guard excess > 0 else { return }
        rows.removeFirst(excess * dimension)
        labels.removeFirst(excess)
    }
}
