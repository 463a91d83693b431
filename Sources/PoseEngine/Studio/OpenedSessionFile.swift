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
    /// The keys of the file (`tree`, as parsed) that `session`, decoded from it, does not hold:
    /// found by writing the session out again and listing the file's keys the new text lacks. A
    /// key whose value is null is left out, as it says no more than its absence; a file the
    /// ordered parse did not follow (no tree) lists none.
    static func ignoredKeys(in tree: OrderedJSON?, decodedAs session: SessionFile) -> [String] {
        guard let tree, let written = try? SortedJSON.data(session),
              let known = try? OrderedJSONParser.parse(Array(written))
        else { return [] }
        var ignored: [String] = []
        collectIgnored(in: tree, known: known, path: "", into: &ignored)
        return ignored
    }

    private static func collectIgnored(in file: OrderedJSON, known: OrderedJSON, path: String,
                                       into ignored: inout [String]) {
        switch (file, known) {
        case (.object(let members), _):
            let knownMembers: [String: OrderedJSON]
            if case .object(let written) = known {
                knownMembers = Dictionary(written, uniquingKeysWith: { first, _ in first })
            } else {
                knownMembers = [:]
            }
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                if case .null = value { continue }
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                if let knownValue = knownMembers[key] {
                    collectIgnored(in: value, known: knownValue, path: keyPath, into: &ignored)
                } else if !ignored.contains(keyPath) {
                    ignored.append(keyPath)
                }
            }
        case (.array(let elements), .array(let knownElements)):
            for (element, knownElement) in zip(elements, knownElements) {
                collectIgnored(in: element, known: knownElement, path: path + "[]", into: &ignored)
            }
        default:
            return
        }
    }
}
