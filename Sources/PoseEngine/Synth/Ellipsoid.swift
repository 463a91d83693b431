/// A half-space that keeps the points p with normal . p <= offset.
struct ClipPlane: Sendable {
    var normal: Vector3
    var offset: Float

    /// Keeps the side of the plane through `point` that `normal` points into.
    static func keeping(_ normal: Vector3, through point: Vector3) -> ClipPlane {
        ClipPlane(normal: -normal, offset: -normal.dot(point))
    }

    func keeps(_ point: Vector3) -> Bool {
        normal.dot(point) <= offset
    }
}

/// Which rigid frame a primitive is posed with: the head turns fully, the body only a little.
enum BodyFrame: Sendable {
    case head
    case body
}

/// An ellipsoid, optionally cut by planes, in head or body space (head height = 1).
struct Ellipsoid: Sendable {
    var center: Vector3
    var radii: Vector3
    /// Local axes -> parent space.
    var orientation: Matrix3 = .identity
    /// Kept parts, in parent space. A cut shell shows its inside where its outside is cut away.
    var clips: [ClipPlane] = []
    /// Head units by which the cut edges wander (hairlines).
    var raggedness: Float = 0
    var part: HeadPart
    var frame: BodyFrame = .head

    /// An ellipsoid whose local y axis runs from `start` to `end`, with cross-section radii
    /// `across` (local x, kept horizontal where possible) and `deep` (local z).
    static func along(from start: Vector3, to end: Vector3, across: Float, deep: Float, part: HeadPart,
                      frame: BodyFrame = .head) -> Ellipsoid {
        let axis = end - start
        let yAxis = axis.normalized
        let reference: Vector3 = abs(yAxis.x) < 0.9 ? [1, 0, 0] : [0, 0, 1]
        let zAxis = cross(reference, yAxis).normalized
        let xAxis = cross(yAxis, zAxis)
        let orientation = Matrix3(row0: [xAxis.x, yAxis.x, zAxis.x],
                                  row1: [xAxis.y, yAxis.y, zAxis.y],
                                  row2: [xAxis.z, yAxis.z, zAxis.z])
        return Ellipsoid(center: (start + end) * 0.5, radii: [across, axis.length * 0.5, deep],
                         orientation: orientation, part: part, frame: frame)
    }
}

/// A flat elliptic ring with a transparent centre: a spectacle lens in its frame.
struct LensDisc: Sendable {
    var center: Vector3
    /// In-plane unit axes (head space) and the half-widths along them.
    var axisU: Vector3
    var axisV: Vector3
    var radiusU: Float
    var radiusV: Float
    /// The glass fills the ring's inside up to this fraction of the radii.
    var glassFraction: Float
}

@inline(__always)
func cross(_ a: Vector3, _ b: Vector3) -> Vector3 {
    [a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x]
}
