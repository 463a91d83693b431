/// A small line plot (RGB8) of y against x with a light zero line: one picture per bench metric.
public enum MetricPlot {
    public static func render(x: [Float], series: [(values: [Float], color: (UInt8, UInt8, UInt8))],
                              width: Int = 480, height: Int = 320) -> SynthImage {
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        let margin = 20
        let all = series.flatMap(\.values).filter(\.isFinite) + [0]
        let (low, high) = (all.min() ?? 0, all.max() ?? 1)
        let span = max(high - low, 1e-6)
        let (xLow, xHigh) = (x.min() ?? 0, x.max() ?? 1)
        func position(_ xv: Float, _ yv: Float) -> (Int, Int) {
            let px = margin + Int(Float(width - 2 * margin) * (xv - xLow) / max(xHigh - xLow, 1e-6))
            let py = height - margin - Int(Float(height - 2 * margin) * (yv - low) / span)
            return (px, py)
        }
        func set(_ px: Int, _ py: Int, _ c: (UInt8, UInt8, UInt8)) {
            guard px >= 0, px < width, py >= 0, py < height else { return }
            let i = (py * width + px) * 3
            (pixels[i], pixels[i + 1], pixels[i + 2]) = c
        }
        let zero = position(xLow, 0).1
        for px in stride(from: margin, to: width - margin, by: 2) { set(px, zero, (190, 190, 190)) }
        for py in margin..<(height - margin) { set(margin, py, (0, 0, 0)) }
        for (values, color) in series {
            let points = zip(x, values).filter { $0.1.isFinite }.map { position($0.0, $0.1) }
            for (a, b) in zip(points, points.dropFirst()) {
                let steps = max(abs(b.0 - a.0), abs(b.1 - a.1), 1)
                for s in 0...steps { set(a.0 + (b.0 - a.0) * s / steps, a.1 + (b.1 - a.1) * s / steps, color) }
            }
            for p in points { for dy in -2...2 { for dx in -2...2 { set(p.0 + dx, p.1 + dy, color) } } }
        }
        return SynthImage(width: width, height: height, pixels: pixels)
    }
}
