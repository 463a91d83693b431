/// The 3-vector of the synthetic world: positions, directions, normals and linear RGB colours.
public typealias Vector3 = SIMD3<Float>

extension SIMD3 where Scalar == Float {
    @inline(__always)
    func dot(_ other: Vector3) -> Float {
        x * other.x + y * other.y + z * other.z
    }

    @inline(__always)
    var length: Float { dot(self).squareRoot() }

    @inline(__always)
    var normalized: Vector3 {
        let l = length
        return l > 0 ? self / l : self
    }
}
