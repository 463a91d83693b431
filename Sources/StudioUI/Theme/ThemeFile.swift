import AtomicFiles
import Foundation
import TOMLKit

/// Themes as TOML files (`Themes/NAME.toml`):
///
///     name = "default"
///     [colors]
///     text = { fg = 252, bg = -1 }
///
/// with one entry per `Theme.Role`; colours are xterm-256 indices, -1 the terminal's default.
public enum ThemeFile {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notFound(name: String, searched: [String], available: [String])
        case unreadable(path: String, reason: String)
        case invalid(path: String, reason: String)

        public var description: String {
            switch self {
            case .notFound(let name, let searched, let available):
                let names = available.isEmpty ? "none found" : available.joined(separator: ", ")
                return "no theme \"\(name)\" in \(searched.joined(separator: ", ")) (themes: \(names)): pass --theme with one of them or a .toml path"
            case .unreadable(let path, let reason): return "cannot read theme \(path): \(reason)"
            case .invalid(let path, let reason): return "theme \(path) is not valid: \(reason)"
            }
        }
    }

    private struct Contents: Decodable {
        var name: String
        var colors: [String: Theme.Colors]

        enum CodingKeys: String, CodingKey { case name, colors }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodePresent(String.self, forKey: .name)
            colors = try container.decodePresent([String: Theme.Colors].self, forKey: .colors)
        }
    }

    /// The theme `name` (a file name in the theme folders, or a path to a .toml file).
    public static func load(_ name: String, folders: [String]) throws(Failure) -> Theme {
        if name.hasSuffix(".toml") || name.contains("/") { return try load(path: name) }
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent("\(name).toml")
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        }
        throw .notFound(name: name, searched: folders, available: available(in: folders))
    }

    public static func load(path: String) throws(Failure) -> Theme {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: SystemReason.of(error))
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(Failure) -> Theme {
        let contents: Contents
        do {
            contents = try TOMLDecoder().decode(Contents.self, from: text)
        } catch let error as TOMLParseError {
            throw .invalid(path: path, reason: "\(error.description) at \(error.source.begin)")
        } catch let error as DecodingError {
            throw .invalid(path: path, reason: error.problem.text)
        } catch {
            throw .invalid(path: path, reason: "\(error)")
        }
        var roles: [Theme.Role: Theme.Colors] = [:]
        for (key, colors) in contents.colors {
            guard let role = Theme.Role(rawValue: key) else {
                throw .invalid(path: path, reason: "unknown colour \"\(key)\"; the colours are \(roleList)")
            }
            for value in [colors.foreground, colors.background] where !(-1...255).contains(value) {
                throw .invalid(path: path, reason: "\(key): colour \(value) is not an xterm-256 index (0-255) or -1")
            }
            roles[role] = colors
        }
        let missing = Theme.Role.allCases.filter { roles[$0] == nil }.map(\.rawValue)
        guard missing.isEmpty else { throw .invalid(path: path, reason: "no colours for \(missing.joined(separator: ", "))") }
        return Theme(name: contents.name, roles: roles)
    }

    /// Theme names found in `folders`, sorted.
    public static func available(in folders: [String]) -> [String] {
        let names = folders.flatMap { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] }
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }
        return Array(Set(names)).sorted()
    }

    /// Where themes are looked for: $POSESTUDIO_THEMES, ./Themes, and Themes folders near the
    /// executable (the source tree of a `swift build`, or share/posestudio of an install).
    public static func searchFolders(executable: String = CommandLine.arguments.first ?? "") -> [String] {
        var folders: [String] = []
        if let custom = ProcessInfo.processInfo.environment["POSESTUDIO_THEMES"] { folders.append(custom) }
        folders.append(FileManager.default.currentDirectoryPath + "/Themes")
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        var up = binary
        for _ in 0..<4 {
            up = up.deletingLastPathComponent()
            folders.append(up.appendingPathComponent("Themes").path)
        }
        folders.append(binary.deletingLastPathComponent().appendingPathComponent("share/posestudio/Themes").path)
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    private static var roleList: String { Theme.Role.allCases.map(\.rawValue).joined(separator: ", ") }
}
