import Foundation
import PoseEngine

/// One line of the control panel: marker, label, a slider bar for numbers, the value, and
/// for pose rows the guidance switch and the pose head's live estimate.
///
///     ▸ yaw      ━━━━━━●──────   30°  ● ~12°
public enum ControlRow {
    static let labelWidth = 9
    static let valueWidth = 8
    static let estimateWidth = 7

    public static func segments(_ control: Control, settings: StudioSettings, estimate: PoseValues?,
                                selected: Bool, width: Int) -> [Segment] {
        let marker = Segment(selected ? "▸ " : "  ", .accent)
        let label = Segment(fit(control.label, labelWidth), selected ? .selected : .text)
        let fixed = 2 + labelWidth + 1 + valueWidth + 1 + 2 + estimateWidth
        let barWidth = max(width - fixed, 3)
        var line = [marker, label, Segment(" ", .text)]
        let text = control.formatted(settings)
        if case .number(let range, _, _, _) = control.kind, let value = control.number(in: settings) {
            // A value wider than its column (a ten-digit seed) takes cells from the bar: never cut, never touching it.
            let extra = min(max(TerminalCells.width(text) - valueWidth, 0), barWidth - 3)
            line += bar(value, range: range, width: barWidth - extra, logarithmic: [.seed, .guidance, .pushLimit].contains(control))
            line.append(Segment(fit(text, valueWidth + 1 + extra, right: true), .text))
        } else {
            line.append(Segment(ellipsized(text, barWidth + valueWidth + 1), .text))
        }
        if let quantity = control.poseQuantity {
            let on = settings.targets.isActive(quantity)
            line.append(Segment(on ? " ●" : " ○", on ? .guideOn : .guideOff))
            if let estimate, case .number(_, _, _, let decimals) = control.kind {
                let value = Control.format(estimate.value(quantity), decimals: decimals) + quantity.unit
                line.append(Segment(fit(" ~" + value, estimateWidth), .estimate))
            }
        }
        return clip(line, to: width)
    }

    /// A slider: filled up to the value's position, a knob, empty after. Ranges that span
    /// orders of magnitude (seed, guidance, its push limit) are shown on a log scale so small values move it.
    static func bar(_ value: Float, range: ClosedRange<Float>, width: Int, logarithmic: Bool) -> [Segment] {
        func position(_ v: Float) -> Float {
            logarithmic ? log1p(max(v - range.lowerBound, 0)) : v - range.lowerBound
        }
        let span = position(range.upperBound)
        let share = span > 0 ? min(max(position(value) / span, 0), 1) : 0
        let knob = min(Int((share * Float(width - 1)).rounded()), width - 1)
        return [Segment(String(repeating: "━", count: knob), .barFill), Segment("●", .accent),
                Segment(String(repeating: "─", count: width - 1 - knob), .barEmpty)]
    }

    static func clip(_ line: [Segment], to width: Int) -> [Segment] {
        var left = width
        var out: [Segment] = []
        for segment in line where left > 0 {
            let (text, cells) = TerminalCells.measuredPrefix(segment.text, cells: left)
            out.append(Segment(text, segment.role))
            // A wide character cut at the edge ends the row: nothing is drawn in its place.
            if text != segment.text { break }
            left -= cells
        }
        return out
    }
}
