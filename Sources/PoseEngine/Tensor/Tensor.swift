/// A dense float32 tensor: a shape and contiguous row-major storage.
///
/// Storage is a Swift array, so copies are cheap until one of them is written
/// (copy-on-write). Layers keep references to their inputs for the backward
/// pass this way without copying activations.
public struct Tensor: Sendable, Equatable {
    public private(set) var shape: [Int]
    public var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) does not hold \(scalars.count) scalars")
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, repeating: 0)
    }

    /// Storage whose every element the caller overwrites before reading
    /// (GEMM outputs with beta = 0, layout copies); skips zero-filling.
    public init(uninitialized shape: [Int]) {
        let count = shape.reduce(1, *)
        self.shape = shape
        self.scalars = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    public init(shape: [Int], repeating value: Float) {
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    public var count: Int { scalars.count }
    public var rank: Int { shape.count }

    /// The same scalars seen with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    public subscript(flat index: Int) -> Float {
        get { scalars[index] }
        set { scalars[index] = newValue }
    }

    /// Row `index` of the leading (batch) axis, as a batch of one.
    public func batchRow(_ index: Int) -> Tensor {
        let plane = count / shape[0]
        return Tensor(shape: [1] + shape.dropFirst(), scalars: Array(scalars[(index * plane)..<((index + 1) * plane)]))
    }

    /// `parts` one after another along the batch axis; each has the same trailing shape.
    public static func stacked(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.shape.dropFirst() == parts[0].shape.dropFirst() },
                     "stacking needs tensors of one trailing shape")
        guard parts.count > 1 else { return parts[0] }
        var scalars = [Float]()
        scalars.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { scalars.append(contentsOf: part.scalars) }
        return Tensor(shape: [parts.reduce(0) { $0 + $1.shape[0] }] + parts[0].shape.dropFirst(), scalars: scalars)
    }

    @inlinable
    public func withPointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    @inlinable
    public mutating func withMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = scalars.prefix(6).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(count > 6 ? ", ..." : "")]"
    }
}
