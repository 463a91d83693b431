import Foundation

extension SessionFile {
    /// The keys in the session file at `url` that loading it ignored: misspelled ("gudiance"), or
    /// written by a newer PoseStudio. A save writes only the keys it knows, so these would be lost.
    ///
    /// Found by writing the loaded session out again and listing the file's keys the new text
    /// lacks; a key whose value is null is left out, as it says no more than its absence.
    /// Repeated keys (in every undo step, say) are listed once, with `[]` for the array index.
    public static func ignoredKeys(at url: URL) -> [String] {
        guard let bytes = FileManager.default.contents(atPath: url.path),
              let session = try? JSONDecoder().decode(SessionFile.self, from: bytes),
              let written = try? SortedJSON.data(session),
              let file = try? JSONSerialization.jsonObject(with: bytes),
              let known = try? JSONSerialization.jsonObject(with: written)
        else { return [] }
        var ignored: [String] = []
        collectIgnored(in: file, known: known, path: "", into: &ignored)
        return ignored
    }

    /// A line naming the keys `ignoredKeys(at:)` finds, or nil when there are none.
    public static func ignoredKeysWarning(at url: URL) -> String? {
        let keys = ignoredKeys(at: url)
        guard !keys.isEmpty else { return nil }
        let named = keys.prefix(5).joined(separator: ", ") + (keys.count > 5 ? " and \(keys.count - 5) more" : "")
        return "\(url.path) has keys PoseStudio does not know, ignored: \(named) "
            + "(misspelled, or from a newer PoseStudio; saving the session drops them)"
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
