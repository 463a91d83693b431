import Foundation

/// A 3x3 matrix stored by rows: rotations and the linear part of primitive transforms.
struct Matrix3: Sendable {
    var row0: Vector3
    var row1: Vector3
    var row2: Vector3

    static let identity = Matrix3(row0: [1, 0, 0], row1: [0, 1, 0], row2: [0, 0, 1])

    init(row0: Vector3, row1: Vector3, row2: Vector3) {
        self.row0 = row0
        self.row1 = row1
        self.row2 = row2
    }

    /// Rotation about +x by `radians` (right-handed: +y turns toward +z).
    static func rotationX(_ radians: Float) -> Matrix3 {
        let c = cos(radians), s = sin(radians)
        return Matrix3(row0: [1, 0, 0], row1: [0, c, -s], row2: [0, s, c])
    }

    /// Rotation about +y by `radians` (right-handed: +z turns toward +x).
    static func rotationY(_ radians: Float) -> Matrix3 {
        let c = cos(radians), s = sin(radians)
        return Matrix3(row0: [c, 0, s], row1: [0, 1, 0], row2: [-s, 0, c])
    }

    /// Rotation about +z by `radians` (right-handed: +x turns toward +y).
    static func rotationZ(_ radians: Float) -> Matrix3 {
        let c = cos(radians), s = sin(radians)
        return Matrix3(row0: [c, -s, 0], row1: [s, c, 0], row2: [0, 0, 1])
    }

    static func diagonal(_ d: Vector3) -> Matrix3 {
        Matrix3(row0: [d.x, 0, 0], row1: [0, d.y, 0], row2: [0, 0, d.z])
    }

    var transposed: Matrix3 {
        Matrix3(row0: [row0.x, row1.x, row2.x], row1: [row0.y, row1.y, row2.y], row2: [row0.z, row1.z, row2.z])
    }

    var column0: Vector3 { [row0.x, row1.x, row2.x] }
    var column1: Vector3 { [row0.y, row1.y, row2.y] }
    var column2: Vector3 { [row0.z, row1.z, row2.z] }

    @inline(__always)
    static func * (m: Matrix3, v: Vector3) -> Vector3 {
        [m.row0.dot(v), m.row1.dot(v), m.row2.dot(v)]
    }

    static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        let bt = b.transposed
        return Matrix3(row0: bt * a.row0, row1: bt * a.row1, row2: bt * a.row2)
    }

    static func * (m: Matrix3, s: Float) -> Matrix3 {
        Matrix3(row0: m.row0 * s, row1: m.row1 * s, row2: m.row2 * s)
    }
}
