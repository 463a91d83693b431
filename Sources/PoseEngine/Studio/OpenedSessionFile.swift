import Foundation

/// A session file as `SessionFile.open` read it: the session, and the keys in the file that
/// loading it ignored, misspelled ("gudiance") or written by a newer PoseStudio. A save writes
/// only the keys it knows, so those would be lost.
public struct OpenedSessionFile: Sendable {
    public let session: SessionFile
    /// Repeated keys (in every undo step, say) are listed once, with `[]` for the array index.
    public let ignoredKeys: [String]
    public let path: String

    /// A line naming the ignored keys, or nil when there are none.
    public var ignoredKeysWarning: String? {
        guard !ignoredKeys.isEmpty else { return nil }
        let named = ignoredKeys.prefix(5).joined(separator: ", ")
            + (ignoredKeys.count > 5 ? " and \(ignoredKeys.count - 5) more" : "")
        return "\(path) has keys PoseStudio does not know, ignored: \(named) "
            + "(misspelled, or from a newer PoseStudio; saving the session drops them)"
    }
}

extension SessionFile {
    /// The keys of the file's `bytes` that `session`, decoded from them, does not hold: found by
    /// writing the session out again and listing the file's keys the new text lacks. A key whose
    /// value is null is left out, as it says no more than its absence.
    static func ignoredKeys(in bytes: [UInt8], decodedAs session: SessionFile) -> [String] {
        guard let written = try? SortedJSON.data(session),
              let file = try? JSONSerialization.jsonObject(with: Data(bytes)),
              let known = try? JSONSerialization.jsonObject(with: written)
        else { return [] }
        var ignored: [String] = []
        collectIgnored(in: file, known: known, path: "", into: &ignored)
        return ignored
    }

    private static func collectIgnored(in file: Any, known: Any, path: String, into ignored: inout [String]) {
        if let object = file as? [String: Any] {
            let knownObject = known as? [String: Any] ?? [:]
            for key in object.keys.sorted() {
                guard let value = object[key], !(value is NSNull) else { continue }
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                if let knownValue = knownObject[key] {
                    collectIgnored(in: value, known: knownValue, path: keyPath, into: &ignored)
                } else if !ignored.contains(keyPath) {
                    ignored.append(keyPath)
                }
            }
        } else if let array = file as? [Any], let knownArray = known as? [Any] {
            for (element, knownElement) in zip(array, knownArray) {
                collectIgnored(in: element, known: knownElement, path: path + "[]", into: &ignored)
            }
        }
    }
}
