/// The help box: every key and what it does, cut to the screen when it is small.
public enum HelpOverlay {
    /// The box's lines (border included) for a screen `width` wide and `height` high.
    public static func lines(width: Int, height: Int) -> [String] {
        let keysWidth = KeyBindings.help.map(\.keys.count).max() ?? 0
        let inner = min(width - 4, 76)
        guard inner > 10, height >= 3 else { return [] }
        var body = KeyBindings.help.map { fit($0.keys, keysWidth) + "  " + $0.meaning }
        let room = height - 2
        if body.count > room {
            body = Array(body.prefix(max(room - 1, 0))) + ["… (taller terminal for the rest)"]
        }
        let title = " keys (? or Esc closes) "
        let top = "┌" + title + String(repeating: "─", count: max(inner + 2 - title.count, 0)) + "┐"
        let bottom = "└" + String(repeating: "─", count: inner + 2) + "┘"
        return [top] + body.map { "│ " + fit($0, inner) + " │" } + [bottom]
    }
}
