/// The five pose quantities the readout head and the judge predict, in the
/// units of DESIGN.md (degrees, fractions of the image, head height / image
/// height), and their normalised form (about [-1, 1]) that the networks see.
public struct PoseValues: Sendable, Equatable, Codable {
    public var pitch: Float
    public var yaw: Float
    public var x: Float
    public var y: Float
    public var scale: Float

    public init(pitch: Float, yaw: Float, x: Float, y: Float, scale: Float) {
        (self.pitch, self.yaw, self.x, self.y, self.scale) = (pitch, yaw, x, y, scale)
    }

    public static let count = 5
    public static let names = ["pitch", "yaw", "x", "y", "scale"]

    /// Centre and half-range of each quantity over the synthetic world.
    static let centre: [Float] = [0, 0, 0, 0, 0.575]
    static let halfRange: [Float] = [45, 90, 0.5, 0.5, 0.325]

    public var array: [Float] { [pitch, yaw, x, y, scale] }

    /// Each quantity by its name, as the JSON reports key them.
    public var named: [String: Float] { Dictionary(uniqueKeysWithValues: zip(Self.names, array)) }

    public init(array v: [Float]) {
        precondition(v.count == Self.count)
        self.init(pitch: v[0], yaw: v[1], x: v[2], y: v[3], scale: v[4])
    }

    public var normalized: [Float] { (0..<Self.count).map { (array[$0] - Self.centre[$0]) / Self.halfRange[$0] } }

    public init(normalized v: [Float]) {
        self.init(array: (0..<Self.count).map { v[$0] * Self.halfRange[$0] + Self.centre[$0] })
    }

    /// Rows of a [N, 5] tensor of normalised values.
    public static func rows(of tensor: Tensor) -> [PoseValues] {
        (0..<tensor.shape[0]).map { PoseValues(normalized: Array(tensor.scalars[($0 * count)..<(($0 + 1) * count)])) }
    }

    public static func tensor(_ poses: [PoseValues]) -> Tensor {
        Tensor(shape: [poses.count, count], scalars: poses.flatMap(\.normalized))
    }
}
