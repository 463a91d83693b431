/// Where everything goes on a screen of a given size: the image pane on the left, the control
/// panel on the right, a message line and the status bar at the bottom.
public struct Layout: Sendable, Equatable {
    public struct Rect: Sendable, Equatable {
        public var column, row, width, height: Int

        public func contains(column c: Int, row r: Int) -> Bool {
            (column..<(column + width)).contains(c) && (row..<(row + height)).contains(r)
        }
    }

    /// The smallest screen that holds the bars, a usable picture and all but one control row (the
    /// panel scrolls to the selected one, `PanelRows`).
    public static let minimumColumns = 60
    public static let minimumRows = 20

    public var columns: Int
    public var rows: Int
    public var imagePane: Rect
    public var panel: Rect
    public var messageRow: Int
    public var statusRow: Int

    public init(columns: Int, rows: Int) {
        (self.columns, self.rows) = (columns, rows)
        let panelWidth = min(58, max(34, columns * 2 / 5))
        let body = max(rows - 2, 0)
        imagePane = Rect(column: 0, row: 0, width: max(columns - panelWidth - 1, 0), height: body)
        panel = Rect(column: columns - panelWidth, row: 0, width: panelWidth, height: body)
        messageRow = rows - 2
        statusRow = rows - 1
    }

    public var fits: Bool { columns >= Self.minimumColumns && rows >= Self.minimumRows }

    /// What a too-small screen shows instead of the studio, word-wrapped to its width.
    public var tooSmallMessage: [String] {
        let text = "posestudio needs at least \(Self.minimumColumns)x\(Self.minimumRows) (this terminal is \(columns)x\(rows)): "
            + "enlarge the window, q quits"
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > max(columns, 1) {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + (line.isEmpty ? [] : [line])
    }
}
