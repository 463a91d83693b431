import Foundation

/// Element-wise arithmetic and reductions. Written as plain loops over raw
/// pointers so that release builds vectorise them.
extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        var out = lhs
        out.add(rhs)
        return out
    }

    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        var out = lhs
        out.add(rhs, scaledBy: -1)
        return out
    }

    public static func * (lhs: Tensor, rhs: Float) -> Tensor {
        var out = lhs
        out.scale(by: rhs)
        return out
    }

    /// self += scale * other
    public mutating func add(_ other: Tensor, scaledBy scale: Float = 1) {
        precondition(count == other.count, "add: \(shape) vs \(other.shape)")
        let n = count
        other.withPointer { src in
            withMutablePointer { dst in
                if scale == 1 {
                    for i in 0..<n { dst[i] += src[i] }
                } else {
                    for i in 0..<n { dst[i] += scale * src[i] }
                }
            }
        }
    }

    public mutating func scale(by factor: Float) {
        let n = count
        withMutablePointer { p in for i in 0..<n { p[i] *= factor } }
    }

    public mutating func fill(_ value: Float) {
        let n = count
        withMutablePointer { p in for i in 0..<n { p[i] = value } }
    }

    public func map(_ transform: (Float) -> Float) -> Tensor {
        Tensor(shape: shape, scalars: scalars.map(transform))
    }

    /// Images live in [-1, 1]: a decoder's raw output may leave that range, a picture may not.
    public func clampedToPictureRange() -> Tensor {
        map { Swift.min(Swift.max($0, -1), 1) }
    }

    public func sum() -> Float {
        var total: Double = 0
        for v in scalars { total += Double(v) }
        return Float(total)
    }

    public func dot(_ other: Tensor) -> Float {
        precondition(count == other.count)
        var total: Double = 0
        for i in 0..<count { total += Double(scalars[i]) * Double(other.scalars[i]) }
        return Float(total)
    }

    /// The sum of |self - other| over every element, in Double so long sums keep their precision.
    public func sumAbsDifference(_ other: Tensor) -> Double {
        precondition(count == other.count, "compare: \(shape) vs \(other.shape)")
        var total: Double = 0
        for i in 0..<count { total += Double(abs(scalars[i] - other.scalars[i])) }
        return total
    }

    public func maxAbsDifference(_ other: Tensor) -> Float {
        precondition(count == other.count, "compare: \(shape) vs \(other.shape)")
        var worst: Float = 0
        for i in 0..<count { worst = max(worst, abs(scalars[i] - other.scalars[i])) }
        return worst
    }

    public func maxAbs() -> Float {
        scalars.reduce(0) { max($0, abs($1)) }
    }

    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }
}
