/// Drawn outlines for the illustrated styles: a sample is on a line when a neighbour a line
/// width away shows a different kind of part, or a surface much farther away.
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

    /// `groups` holds each sample's outline group (see HeadPart.outlineGroup).
    func isEdge(sample i: Int, groups: [UInt8], in buffer: VisibilityBuffer) -> Bool {
        guard strength > 0 else { return false }
        let columns = buffer.columns
        let column = i % columns, row = i / columns
        let group = groups[i]
        let depth = buffer.depth[i]
        // Only the nearer side of a depth edge is drawn, so lines do not double.
        func differs(_ j: Int) -> Bool {
            groups[j] != group || buffer.depth[j] + depthJump < depth
        }
        return (column >= reach && differs(i - reach))
            || (column + reach < columns && differs(i + reach))
            || (row >= reach && differs(i - reach * columns))
            || (row + reach < buffer.rows && differs(i + reach * columns))
    }

    func draw(over color: Vector3) -> Vector3 {
        mix(color, self.color, strength)
    }
}
