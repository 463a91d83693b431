/// A lookup table of learned vectors: integer ids [N, L] -> [N, L, D].
/// Ids arrive as a Tensor of whole numbers so batches travel like any other input.
public final class Embedding: ParameterVisitable {
    public let count: Int
    public let dimension: Int
    public let weight: Parameter
    private var ids: [Int] = []

    public init(count: Int, dimension: Int, generator: inout SeededGenerator) {
        self.count = count
        self.dimension = dimension
        weight = Parameter(Tensor.randomNormal([count, dimension], std: 0.02, generator: &generator))
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        visit("weight", weight)
    }

    /// Ids outside the table are a programming error: tokenizers only emit known ids.
    public func forward(ids: [Int], shape: [Int]) -> Tensor {
        precondition(ids.allSatisfy { (0..<count).contains($0) }, "embedding id out of range")
        self.ids = ids
        var y = Tensor(uninitialized: shape + [dimension])
        let d = dimension
        weight.value.withPointer { wp in
            y.withMutablePointer { yp in
                for (row, id) in ids.enumerated() { (yp + row * d).update(from: wp + id * d, count: d) }
            }
        }
        return y
    }

    /// Scatter-adds the rows of dL/dy into the used table rows.
    public func backward(_ gradOutput: Tensor) {
        guard weight.requiresGradient else { return }
        let d = dimension
        gradOutput.withPointer { gp in
            weight.gradient.withMutablePointer { wp in
                for (row, id) in ids.enumerated() {
                    for j in 0..<d { wp[id * d + j] += gp[row * d + j] }
                }
            }
        }
    }
}
