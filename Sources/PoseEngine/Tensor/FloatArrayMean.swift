extension Array where Element == Float {
    /// The arithmetic mean, summed in Double; NaN for no values, so an empty measurement can
    /// never pass for a zero error.
    public var mean: Float {
        isEmpty ? .nan : Float(reduce(0.0) { $0 + Double($1) } / Double(count))
    }
}
