import PoseEngine

/// The bytes that draw a picture over the curses screen: save the cursor (ESC 7), move to the
/// picture's cell, the picture (sixel, or half blocks in SGR colours), restore the cursor
/// (ESC 8). Written in one write() after curses' doupdate(), so curses never sees them.
public enum PictureBytes {
    public static func make(_ image: SynthImage, placement: ImagePlacement, mode: GraphicsMode,
                            final: Bool) throws(SixelEncoder.Failure) -> [UInt8] {
        guard placement.pixelWidth > 0, placement.pixelHeight > 0 else { return [] }
        var bytes: [UInt8] = Array("\u{1B}7".utf8)
        switch mode {
        case .sixel:
            let scaled = ImageScaling.bilinear(image, width: placement.pixelWidth, height: placement.pixelHeight)
            // DECSET 1070: the picture's colour registers are its own, so they cannot repaint the
            // terminal's 256 text colours (xterm shares them otherwise, and the panel's greys go dark).
            bytes += Array("\u{1B}[?1070h".utf8)
            bytes += moveTo(row: placement.cells.row, column: placement.cells.column)
            // Live frames share one fixed palette so dithering does not shimmer while a slider
            // moves; the finished picture gets a palette of its own.
            bytes += try SixelEncoder.encode(pixels: scaled.pixels, width: scaled.width, height: scaled.height,
                                             palette: final ? .adaptive : .fixedXterm256)
        case .blocks(let trueColor):
            let frame = HalfBlockFrame(pixels: image.pixels, width: image.width, height: image.height,
                                       columns: placement.cells.width, rows: placement.cells.height)
            bytes += halfBlocks(frame, at: placement.cells, trueColor: trueColor)
        }
        bytes += Array("\u{1B}8".utf8)
        return bytes
    }

    static func halfBlocks(_ frame: HalfBlockFrame, at cells: Layout.Rect, trueColor: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(frame.columns * frame.rows * 24)
        for row in 0..<frame.rows {
            out += moveTo(row: cells.row + row, column: cells.column)
            var previous: HalfBlockFrame.Cell?
            for column in 0..<frame.columns {
                let cell = frame.cell(column: column, row: row)
                if cell != previous {
                    out += Array((color(cell.top, foreground: true, trueColor) + color(cell.bottom, foreground: false, trueColor)).utf8)
                    previous = cell
                }
                out += Array("▀".utf8)
            }
            out += Array("\u{1B}[0m".utf8)
        }
        return out
    }

    private static func color(_ rgb: HalfBlockFrame.RGB, foreground: Bool, _ trueColor: Bool) -> String {
        let layer = foreground ? 38 : 48
        return trueColor ? "\u{1B}[\(layer);2;\(rgb.r);\(rgb.g);\(rgb.b)m" : "\u{1B}[\(layer);5;\(rgb.xterm256)m"
    }

    /// CUP to a zero-based cell.
    static func moveTo(row: Int, column: Int) -> [UInt8] {
        Array("\u{1B}[\(row + 1);\(column + 1)H".utf8)
    }
}
