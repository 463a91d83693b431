/// An ellipsoid seen by the orthographic camera (which looks down -z). A camera point p maps to
/// the unit sphere as u = X * m0 + Y * m1 + z * m2 + k, so along a pixel's line of sight the
/// surface is a quadratic in z whose coefficients are affine in the pixel position.
struct ProjectedEllipsoid: Sendable {
    var m0: Vector3
    var m1: Vector3
    var m2: Vector3
    var k: Vector3
    var a: Float
    var inverseA: Float
    /// Screen extent in camera units.
    var minX: Float, maxX: Float, minY: Float, maxY: Float
    /// Up to two cut planes in unit-sphere coordinates (keep u with normal . u <= offset), held
    /// inline so the hot loops copy no arrays.
    var firstClip: ClipPlane?
    var secondClip: ClipPlane?
    /// Head units by which cut edges wander, for hairlines that are not ruler-straight.
    var raggedness: Float
    var part: HeadPart

    init(_ e: Ellipsoid, rotation: Matrix3, center: Vector3, scale: Float) {
        let inverseRadii = Vector3(1, 1, 1) / e.radii
        let localToCamera = rotation * e.orientation
        // M = diag(1/r) Q^T R^T / s maps camera offsets to unit-sphere offsets.
        let m = Matrix3.diagonal(inverseRadii) * localToCamera.transposed * (1 / scale)
        m0 = m.column0
        m1 = m.column1
        m2 = m.column2
        k = -(m * center) - inverseRadii * (e.orientation.transposed * e.center)
        a = m2.dot(m2)
        inverseA = 1 / a
        // Extent of C + s R (c + Q diag(r) u): the norms of the rows of s R Q diag(r).
        let n = localToCamera * Matrix3.diagonal(e.radii) * scale
        let middle = center + rotation * e.center * scale
        minX = middle.x - n.row0.length
        maxX = middle.x + n.row0.length
        minY = middle.y - n.row1.length
        maxY = middle.y + n.row1.length
        precondition(e.clips.count <= 2, "an ellipsoid holds at most two cut planes")
        let clips = e.clips.map { plane in
            // n . (c + Q diag(r) u) <= h  <=>  (diag(r) Q^T n) . u <= h - n . c
            ClipPlane(normal: e.radii * (e.orientation.transposed * plane.normal),
                      offset: plane.offset - plane.normal.dot(e.center))
        }
        firstClip = clips.first
        secondClip = clips.count > 1 ? clips[1] : nil
        raggedness = e.raggedness
        part = e.part
    }

    /// The unit-sphere point of camera point (X, Y, z).
    @inline(__always)
    func unitPoint(x: Float, y: Float, z: Float) -> Vector3 {
        k + x * m0 + y * m1 + z * m2
    }

    /// The outward surface normal in camera space at unit-sphere point u.
    @inline(__always)
    func normal(at u: Vector3) -> Vector3 {
        Vector3(m0.dot(u), m1.dot(u), m2.dot(u)).normalized
    }

    var isCut: Bool { firstClip != nil }

    @inline(__always)
    func keeps(_ u: Vector3) -> Bool {
        guard let firstClip else { return true }
        let wander = raggedness > 0 ? raggedness * (Self.edgeNoise.sample((u.x + u.z) * 9, u.y * 9 + u.x * 4) - 0.5) : 0
        if firstClip.normal.dot(u) > firstClip.offset + wander { return false }
        if let secondClip, secondClip.normal.dot(u) > secondClip.offset + wander { return false }
        return true
    }

    /// How far inside the first cut plane u lies (0 on the edge), in head units.
    func distanceInsideFirstCut(_ u: Vector3) -> Float? {
        firstClip.map { $0.offset - $0.normal.dot(u) }
    }

    private static let edgeNoise = ValueNoise(seed: 0xED6E)
}

/// A lens ring seen by the camera: depth and ring coordinates are affine in (X, Y).
struct ProjectedLens: Sendable {
    var z0: Float, zx: Float, zy: Float
    var u0: Float, ux: Float, uy: Float
    var v0: Float, vx: Float, vy: Float
    var glassFraction: Float
    var minX: Float, maxX: Float, minY: Float, maxY: Float

    /// Nil when the lens is seen edge-on (it covers no area then).
    init?(_ lens: LensDisc, rotation: Matrix3, center: Vector3, scale: Float) {
        let axisU = rotation * lens.axisU
        let axisV = rotation * lens.axisV
        let normal = cross(axisU, axisV)
        guard abs(normal.z) > 0.05 else { return nil }
        let middle = center + rotation * lens.center * scale
        // On the plane: z = middle.z - (n.x (X - mx) + n.y (Y - my)) / n.z.
        zx = -normal.x / normal.z
        zy = -normal.y / normal.z
        z0 = middle.z - zx * middle.x - zy * middle.y
        // Ring coordinate along an axis a: a . (p - middle) / radius, with p = (X, Y, z(X, Y)).
        func affine(_ a: Vector3, _ radius: Float, zx: Float, zy: Float) -> (Float, Float, Float) {
            let px = (a.x + a.z * zx) / radius
            let py = (a.y + a.z * zy) / radius
            let p0 = -(px * middle.x + py * middle.y)
            return (p0, px, py)
        }
        (u0, ux, uy) = affine(axisU, lens.radiusU * scale, zx: zx, zy: zy)
        (v0, vx, vy) = affine(axisV, lens.radiusV * scale, zx: zx, zy: zy)
        glassFraction = lens.glassFraction
        let extentX = scale * (abs(axisU.x) * lens.radiusU + abs(axisV.x) * lens.radiusV)
        let extentY = scale * (abs(axisU.y) * lens.radiusU + abs(axisV.y) * lens.radiusV)
        minX = middle.x - extentX
        maxX = middle.x + extentX
        minY = middle.y - extentY
        maxY = middle.y + extentY
    }
}
