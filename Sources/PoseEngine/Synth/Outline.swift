/// Drawn outlines for the illustrated styles: a sample is on a line when a neighbour a line
/// width away shows a different kind of part or a surface much nearer or farther.
struct Outline {
    let color: Vector3
    let strength: Float
    let reach: Int
    let depthJump: Float

    init(style: RenderStyle, scale: Float, rows: Int) {
        switch style {
        case .photo: (color, strength) = (.zero, 0)
        case .cartoon: (color, strength) = (StyleShading.ink, 1)
        case .sketch: (color, strength) = (StyleShading.graphite, 0.85)
        case .painting: (color, strength) = (Vector3(0.2, 0.12, 0.08), 0.3)
        }
        reach = max(1, Int((Float(rows) / 100).rounded()))
        depthJump = 0.04 * scale
    }

    func apply(to color: Vector3, at column: Int, _ row: Int, in buffer: VisibilityBuffer,
               partOf: (UInt8) -> HeadPart) -> Vector3 {
        guard strength > 0 else { return color }
        let i = row * buffer.columns + column
        let group = partOf(buffer.ids[i]).outlineGroup
        let depth = buffer.depth[i]
        for (dx, dy) in [(reach, 0), (-reach, 0), (0, reach), (0, -reach)] {
            let c = column + dx, r = row + dy
            guard c >= 0, c < buffer.columns, r >= 0, r < buffer.rows else { continue }
            let j = r * buffer.columns + c
            // Only the nearer side of a depth edge is drawn, so lines do not double.
            if partOf(buffer.ids[j]).outlineGroup != group || buffer.depth[j] + depthJump < depth {
                return mix(color, self.color, strength)
            }
        }
        return color
    }
}
