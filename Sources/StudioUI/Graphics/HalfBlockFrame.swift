/// A picture for terminals without sixel: each character cell shows two
/// vertically stacked pixels with the upper half block "▀" (foreground = top
/// pixel, background = bottom pixel).
public struct HalfBlockFrame: Sendable, Equatable {
    public struct RGB: Sendable, Equatable, Hashable {
        public var r, g, b: UInt8
        public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { (self.r, self.g, self.b) = (r, g, b) }
    }

    public struct Cell: Sendable, Equatable {
        public var top: RGB
        public var bottom: RGB
    }

    public let columns: Int
    public let rows: Int
    public let cells: [Cell]

    /// Box-filters an RGB8 image (row-major, 3 bytes per pixel) down to
    /// `columns` x `2 * rows` pixels and pairs them into cells.
    public init(pixels: [UInt8], width: Int, height: Int, columns: Int, rows: Int) {
        precondition(pixels.count == width * height * 3, "pixel buffer does not match \(width)x\(height)")
        self.columns = max(columns, 0)
        self.rows = max(rows, 0)
        let targetHeight = 2 * self.rows
        var samples: [RGB] = []
        samples.reserveCapacity(self.columns * targetHeight)
        for ty in 0..<targetHeight {
            let y0 = ty * height / max(targetHeight, 1), y1 = max((ty + 1) * height / max(targetHeight, 1), y0 + 1)
            for tx in 0..<self.columns {
                let x0 = tx * width / max(self.columns, 1), x1 = max((tx + 1) * width / max(self.columns, 1), x0 + 1)
                samples.append(Self.average(pixels, width: width, xs: x0..<min(x1, width), ys: y0..<min(y1, height)))
            }
        }
        var cells: [Cell] = []
        cells.reserveCapacity(self.columns * self.rows)
        for row in 0..<self.rows {
            for column in 0..<self.columns {
                cells.append(Cell(top: samples[(2 * row) * self.columns + column],
                                  bottom: samples[(2 * row + 1) * self.columns + column]))
            }
        }
        self.cells = cells
    }

    public func cell(column: Int, row: Int) -> Cell { cells[row * columns + column] }

    private static func average(_ pixels: [UInt8], width: Int, xs: Range<Int>, ys: Range<Int>) -> RGB {
        var sum = (0, 0, 0), n = 0
        for y in ys {
            for x in xs {
                let i = (y * width + x) * 3
                sum.0 += Int(pixels[i]); sum.1 += Int(pixels[i + 1]); sum.2 += Int(pixels[i + 2])
                n += 1
            }
        }
        guard n > 0 else { return RGB(0, 0, 0) }
        return RGB(UInt8(sum.0 / n), UInt8(sum.1 / n), UInt8(sum.2 / n))
    }
}

extension HalfBlockFrame.RGB {
    /// The nearest entry of the xterm 256-colour palette's 6x6x6 cube or grey ramp.
    public var xterm256: Int {
        func level(_ v: UInt8) -> Int { v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
        let steps = [0, 95, 135, 175, 215, 255]
        let (lr, lg, lb) = (level(r), level(g), level(b))
        let cube = 16 + 36 * lr + 6 * lg + lb
        let cubeError = sq(steps[lr] - Int(r)) + sq(steps[lg] - Int(g)) + sq(steps[lb] - Int(b))
        let mean = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = min(max((mean - 3) / 10, 0), 23)
        let grey = 8 + 10 * greyIndex
        let greyError = sq(grey - Int(r)) + sq(grey - Int(g)) + sq(grey - Int(b))
        return greyError < cubeError ? 232 + greyIndex : cube
    }

    private func sq(_ v: Int) -> Int { v * v }
}
