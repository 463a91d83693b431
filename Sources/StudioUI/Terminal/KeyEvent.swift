/// A key press, mouse click or resize as the UI loop sees it, free of curses codes.
public enum KeyEvent: Sendable, Equatable {
    case character(Character)
    /// A letter pressed with Ctrl (Ctrl-R: "r").
    case control(Character)
    case up, down, left, right
    case shiftLeft, shiftRight
    case enter, backspace, escape, tab
    /// A left click at a screen cell.
    case click(column: Int, row: Int)
    case resize
}
