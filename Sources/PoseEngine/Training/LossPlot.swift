import Foundation

/// Draws a loss curve (log-scaled, raw in light grey, smoothed in colour) as
/// an RGB8 image, so a run can be judged at a glance without other tools.
public enum LossPlot {
    public static func render(_ series: [(step: Int, value: Double)], width: Int = 640, height: Int = 360) -> [UInt8] {
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        let margin = 24
        let plotW = width - 2 * margin, plotH = height - 2 * margin
        func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
            guard x >= 0, x < width, y >= 0, y < height else { return }
            let i = (y * width + x) * 3
            (pixels[i], pixels[i + 1], pixels[i + 2]) = c
        }
        // Axes and a light grid at each decade.
        for x in margin...(margin + plotW) { set(x, margin + plotH, (0, 0, 0)) }
        for y in margin...(margin + plotH) { set(margin, y, (0, 0, 0)) }
        let points = plotted(series)
        guard let scale = Scale(points) else { return pixels }
        let (firstStep, lastStep, low, high) = (scale.firstStep, scale.lastStep, scale.lowDecade, scale.highDecade)
        let logs = points.map { log10($0.value) }
        let span = max(high - low, 1e-6)
        for decade in stride(from: low, through: high, by: 1) {
            let y = margin + plotH - Int(Double(plotH) * (decade - low) / span)
            for x in stride(from: margin, through: margin + plotW, by: 3) { set(x, y, (200, 200, 200)) }
        }
        func position(_ step: Int, _ logValue: Double) -> (Int, Int) {
            let x = margin + Int(Double(plotW) * Double(step - firstStep) / Double(max(lastStep - firstStep, 1)))
            let y = margin + plotH - Int(Double(plotH) * (logValue - low) / span)
            return (x, y)
        }
        for (point, l) in zip(points, logs) {
            let (x, y) = position(point.step, l)
            set(x, y, (190, 190, 190))
        }
        var smoothed = logs[0]
        var previous: (Int, Int)?
        for (point, l) in zip(points, logs) {
            smoothed = 0.97 * smoothed + 0.03 * l
            let p = position(point.step, smoothed)
            if let q = previous { line(from: q, to: p, set: { set($0, $1, (200, 40, 40)) }) }
            previous = p
        }
        return pixels
    }

    /// What the plot's axes show, for the report beside it (the image carries no text):
    /// nil when there is nothing to plot.
    public static func axes(_ series: [(step: Int, value: Double)], quantity: String) -> String? {
        guard let scale = Scale(plotted(series)) else { return nil }
        let lines = stride(from: scale.lowDecade, through: scale.highDecade, by: 1).map { String(format: "%g", pow(10, $0)) }
        return "x: step \(scale.firstStep) to \(scale.lastStep); y: \(quantity) on a log scale, "
            + "dotted lines at \(lines.joined(separator: ", ")) from bottom to top; grey dots per step, red a running mean"
    }

    /// The positive, finite values: the ones a log scale can place.
    private static func plotted(_ series: [(step: Int, value: Double)]) -> [(step: Int, value: Double)] {
        series.filter { $0.value > 0 && $0.value.isFinite }
    }

    /// The steps across, and the powers of ten that bound the values.
    private struct Scale {
        let firstStep: Int, lastStep: Int
        let lowDecade: Double, highDecade: Double

        init?(_ points: [(step: Int, value: Double)]) {
            guard let first = points.first?.step, let last = points.last?.step, points.count > 1,
                  let low = points.map(\.value).min(), let high = points.map(\.value).max() else { return nil }
            (firstStep, lastStep) = (first, last)
            (lowDecade, highDecade) = (floor(log10(low)), ceil(log10(high)))
        }
    }

    private static func line(from a: (Int, Int), to b: (Int, Int), set: (Int, Int) -> Void) {
        let steps = max(abs(b.0 - a.0), abs(b.1 - a.1), 1)
        for i in 0...steps {
            let t = Double(i) / Double(steps)
            let x = Int((Double(a.0) + t * Double(b.0 - a.0)).rounded()), y = Int((Double(a.1) + t * Double(b.1 - a.1)).rounded())
            set(x, y)
            set(x, y + 1)
        }
    }
}
