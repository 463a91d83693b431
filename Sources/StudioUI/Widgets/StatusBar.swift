/// The bottom line: render progress, speed, graphics mode, session name and the unsaved mark.
public enum StatusBar {
    public static func text(_ state: AppState, graphics: GraphicsMode, width: Int) -> String {
        var parts: [String] = []
        if let p = state.progress {
            let phase = p.isFinal ? "done" : p.phase.rawValue
            parts.append("step \(p.step)/\(p.totalSteps) \(phase)")
            parts.append("\(Int(p.msPerStep.rounded())) ms/step")
        } else {
            parts.append("step -/-")
        }
        parts.append(graphics.description)
        let name = state.sessionPath.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "no session file"
        parts.append(name + (state.unsaved ? " [+]" : ""))
        if let strip = state.sweepStrip {
            parts.append("sweep \(strip.sweep.parameter.rawValue) \(strip.index + 1)/\(strip.sweep.frames)"
                         + (strip.rendered < strip.sweep.frames ? " (\(strip.rendered) rendered)" : ""))
        }
        parts.append("? help")
        return fit(" " + parts.joined(separator: " │ "), width)
    }
}
