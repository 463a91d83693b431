extension SynthImage {
    /// Samples the picture bilinearly on a `width` x `height` grid at pixel centres, handing
    /// `visit` each output pixel's index (row-major), channel and value (0...255, unrounded).
    /// The face encoder's input and the studio's picture scaling both read pictures this way.
    public func bilinearSamples(width: Int, height: Int, _ visit: (_ index: Int, _ channel: Int, _ value: Float) -> Void) {
        let (sx, sy) = (Float(self.width) / Float(width), Float(self.height) / Float(height))
        for row in 0..<height {
            let y = max((Float(row) + 0.5) * sy - 0.5, 0)
            let (y0, fy) = (min(Int(y), self.height - 1), y - Float(Int(y)))
            let y1 = min(y0 + 1, self.height - 1)
            for column in 0..<width {
                let x = max((Float(column) + 0.5) * sx - 0.5, 0)
                let (x0, fx) = (min(Int(x), self.width - 1), x - Float(Int(x)))
                let x1 = min(x0 + 1, self.width - 1)
                for c in 0..<3 {
                    func p(_ px: Int, _ py: Int) -> Float { Float(pixels[(py * self.width + px) * 3 + c]) }
                    let top = p(x0, y0) * (1 - fx) + p(x1, y0) * fx
                    let bottom = p(x0, y1) * (1 - fx) + p(x1, y1) * fx
                    visit(row * width + column, c, top * (1 - fy) + bottom * fy)
                }
            }
        }
    }
}
