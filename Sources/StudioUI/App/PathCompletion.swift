import Foundation

/// Tab in a prompt line that takes a file path (a face, a session to save or open): completes
/// the name being typed at the end of the line as far as the folder's entries agree, the way
/// a shell does. Faces take several paths separated by commas; only the last is completed.
public struct PathCompletion: Sendable, Equatable {
    /// The prompt line after completion.
    public var text: String
    /// Every entry that matched what was typed (folders end in "/"), sorted.
    public var matches: [String]
    /// The folder that could not be listed, when that is why nothing matched.
    public var unreadableFolder: String? = nil

    /// The names in `folder` that start with `prefix`, folders ending in "/"; nil when the
    /// folder cannot be read.
    public typealias Listing = (_ folder: String, _ prefix: String) -> [String]?

    public static func complete(_ text: String, commaSeparated: Bool, list: Listing) -> PathCompletion {
        // What stays as it is: earlier comma-separated paths and the spaces before this one.
        var headEnd = commaSeparated ? text.lastIndex(of: ",").map(text.index(after:)) ?? text.startIndex : text.startIndex
        while headEnd < text.endIndex, text[headEnd] == " " { headEnd = text.index(after: headEnd) }
        let head = text[..<headEnd], typed = text[headEnd...]

        // A bare "~" is the home folder, as in a shell.
        if typed == "~" { return PathCompletion(text: head + "~/", matches: ["~/"]) }
        let folderPart = typed.lastIndex(of: "/").map { String(typed[...$0]) } ?? ""
        let prefix = String(typed.dropFirst(folderPart.count))
        let folder = folderPart.isEmpty ? "." : NSString(string: folderPart).expandingTildeInPath
        guard let listed = list(folder, prefix) else {
            return PathCompletion(text: text, matches: [], unreadableFolder: folderPart.isEmpty ? "." : folderPart)
        }
        let showHidden = prefix.hasPrefix(".")
        let matches = listed.filter { showHidden || !$0.hasPrefix(".") }.sorted()
        guard let first = matches.first else { return PathCompletion(text: text, matches: []) }
        let common = matches.dropFirst().reduce(first) { sharedPrefix($0, $1) }
        return PathCompletion(text: head + folderPart + common, matches: matches)
    }

    /// A folder's entries that start with `prefix`, from the file system, folders marked with a
    /// trailing "/". Only those are looked at further, so a huge folder costs one listing.
    public static func fileSystemListing(_ folder: String, prefix: String) -> [String]? {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return nil }
        return names.filter { $0.hasPrefix(prefix) }.map { name in
            var isFolder: ObjCBool = false
            let path = (folder as NSString).appendingPathComponent(name)
            return manager.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue ? name + "/" : name
        }
    }

    /// What the message line says after a Tab: nothing when one entry matched.
    public var message: String? {
        if let unreadableFolder { return "cannot read the folder \(unreadableFolder)" }
        switch matches.count {
        case 0: return "no file name starts with what is typed"
        case 1: return nil
        default: return "\(matches.count) matches: " + matches.joined(separator: "  ")
        }
    }

    private static func sharedPrefix(_ a: String, _ b: String) -> String {
        String(zip(a, b).prefix { $0 == $1 }.map(\.0))
    }
}
