import CSixel

/// libsixel marks failures with one bit of its status word (the C macro SIXEL_FAILED).
func sixelFailed(_ status: SIXELSTATUS) -> Bool {
    status & SIXEL_FALSE != 0
}

/// libsixel's own words for a status, for error messages.
func sixelMessage(_ status: SIXELSTATUS) -> String {
    guard let text = sixel_helper_format_error(status) else { return "libsixel status \(status)" }
    return String(cString: text)
}
