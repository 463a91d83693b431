/// The cells a picture covers inside the image pane, and its size in pixels: square pictures,
/// as large as the pane allows, centred.
public struct ImagePlacement: Sendable, Equatable {
    public var cells: Layout.Rect
    public var pixelWidth: Int
    public var pixelHeight: Int

    public init(pane: Layout.Rect, mode: GraphicsMode) {
        switch mode {
        case .blocks:
            // A cell is about twice as tall as wide and holds two pixels stacked: n columns by
            // n/2 rows is square.
            let side = max(min(pane.width, pane.height * 2) / 2 * 2, 0)
            let size = (columns: side, rows: side / 2)
            cells = Self.centred(size, in: pane)
            (pixelWidth, pixelHeight) = (side, side)
        case .sixel(let cellWidth, let cellHeight):
            let fit = min(pane.width * cellWidth, pane.height * cellHeight)
            // Sixel bands are 6 pixels high: a multiple of 6 ends exactly on a band.
            let side = max(fit - fit % 6, 0)
            let size = (columns: (side + cellWidth - 1) / cellWidth, rows: (side + cellHeight - 1) / cellHeight)
            cells = Self.centred(size, in: pane)
            (pixelWidth, pixelHeight) = (side, side)
        }
    }

    /// The pose target position for a click on cell (column, row): fractions of the picture from
    /// its centre (+x right, +y down), or nil outside the picture.
    public func target(column: Int, row: Int) -> (x: Float, y: Float)? {
        guard cells.contains(column: column, row: row), cells.width > 0, cells.height > 0 else { return nil }
        let x = (Float(column - cells.column) + 0.5) / Float(cells.width) - 0.5
        let y = (Float(row - cells.row) + 0.5) / Float(cells.height) - 0.5
        return (x, y)
    }

    private static func centred(_ size: (columns: Int, rows: Int), in pane: Layout.Rect) -> Layout.Rect {
        Layout.Rect(column: pane.column + max(pane.width - size.columns, 0) / 2,
                    row: pane.row + max(pane.height - size.rows, 0) / 2,
                    width: min(size.columns, pane.width), height: min(size.rows, pane.height))
    }
}
