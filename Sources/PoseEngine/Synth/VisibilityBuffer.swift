/// Per-sample nearest surface: which primitive (0 = background) and at what depth (+z is toward
/// the viewer), plus whether a lens lies in front. Samples sit on a grid `supersampling` times
/// finer than the pixels.
struct VisibilityBuffer {
    static let background: UInt8 = 0
    /// The id of a lens rim: lenses are not in the ellipsoid list.
    static let lensRim: UInt8 = 255

    let columns: Int
    let rows: Int
    /// Camera-space position of each sample (rows top to bottom).
    var sampleX: [Float]
    var sampleY: [Float]
    var depth: [Float]
    var ids: [UInt8]
    var behindGlass: [Bool]

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        let count = columns * rows
        sampleX = [Float](repeating: 0, count: count)
        sampleY = [Float](repeating: 0, count: count)
        depth = [Float](repeating: -.infinity, count: count)
        ids = [UInt8](repeating: 0, count: count)
        behindGlass = [Bool](repeating: false, count: count)
    }

    /// Camera units per sample step (the image height is 1).
    var step: Float { 1 / Float(rows) }

    /// Places samples on the regular grid, displaced by `jitter` (in camera units), and clears.
    mutating func reset(jitter: ((Int, Int) -> (Float, Float))?) {
        let aspect = Float(columns) / Float(rows)
        let step = self.step
        for row in 0..<rows {
            let y = 0.5 - (Float(row) + 0.5) * step
            for column in 0..<columns {
                let i = row * columns + column
                let x = -0.5 * aspect + (Float(column) + 0.5) * step
                let (jx, jy) = jitter?(column, row) ?? (0, 0)
                sampleX[i] = x + jx
                sampleY[i] = y + jy
            }
        }
        for i in 0..<depth.count {
            depth[i] = -.infinity
            ids[i] = Self.background
            behindGlass[i] = false
        }
    }

    /// The sample columns and rows whose regular positions fall in the extent, widened by `margin`.
    private func range(minX: Float, maxX: Float, minY: Float, maxY: Float, margin: Float) -> (ClosedRange<Int>, ClosedRange<Int>)? {
        let step = self.step
        let left = -0.5 * Float(columns) * step
        let firstColumn = max(0, Int(((minX - margin - left) / step - 0.5).rounded(.up)))
        let lastColumn = min(columns - 1, Int(((maxX + margin - left) / step - 0.5).rounded(.down)))
        let firstRow = max(0, Int(((0.5 - maxY - margin) / step - 0.5).rounded(.up)))
        let lastRow = min(rows - 1, Int(((0.5 - minY + margin) / step - 0.5).rounded(.down)))
        guard firstColumn <= lastColumn, firstRow <= lastRow else { return nil }
        return (firstColumn...lastColumn, firstRow...lastRow)
    }

    /// Keeps, per sample, the nearer of what is there and the ellipsoid's visible surface.
    mutating func draw(_ shape: ProjectedEllipsoid, id: UInt8, margin: Float) {
        guard let (columnRange, rowRange) = range(minX: shape.minX, maxX: shape.maxX,
                                                  minY: shape.minY, maxY: shape.maxY, margin: margin) else { return }
        let a = shape.a, inverseA = shape.inverseA
        let m0 = shape.m0, m1 = shape.m1, m2 = shape.m2, k = shape.k
        let clipped = shape.isCut
        sampleX.withUnsafeBufferPointer { xs in
        sampleY.withUnsafeBufferPointer { ys in
        depth.withUnsafeMutableBufferPointer { depth in
        ids.withUnsafeMutableBufferPointer { ids in
            for row in rowRange {
                for column in columnRange {
                    let i = row * columns + column
                    let base = k + xs[i] * m0 + ys[i] * m1
                    let b = base.dot(m2)
                    let c = base.dot(base) - 1
                    let discriminant = b * b - a * c
                    if discriminant <= 0 { continue }
                    let root = discriminant.squareRoot()
                    var z = (root - b) * inverseA
                    if z <= depth[i] { continue }
                    if clipped && !shape.keeps(base + z * m2) {
                        z = (-root - b) * inverseA
                        if z <= depth[i] || !shape.keeps(base + z * m2) { continue }
                    }
                    depth[i] = z
                    ids[i] = id
                }
            }
        }}}}
    }

    /// Lens rims are opaque; inside them, samples whose surface lies behind the glass are marked.
    mutating func draw(_ lens: ProjectedLens, margin: Float) {
        guard let (columnRange, rowRange) = range(minX: lens.minX, maxX: lens.maxX,
                                                  minY: lens.minY, maxY: lens.maxY, margin: margin) else { return }
        let inner = lens.glassFraction * lens.glassFraction
        for row in rowRange {
            for column in columnRange {
                let i = row * columns + column
                let x = sampleX[i], y = sampleY[i]
                let u = lens.u0 + lens.ux * x + lens.uy * y
                let v = lens.v0 + lens.vx * x + lens.vy * y
                let r2 = u * u + v * v
                let z = lens.z0 + lens.zx * x + lens.zy * y
                guard r2 <= 1, z > depth[i] else { continue }
                if r2 >= inner {
                    depth[i] = z
                    ids[i] = Self.lensRim
                } else {
                    behindGlass[i] = true
                }
            }
        }
    }
}
