import AtomicFiles
import Foundation

/// Writes a value as pretty, key-sorted JSON, atomically (files users keep: sessions, preview maps).
enum PrettyJSONFile {
    /// `followingLinks: false` for files in model folders (see `WriteDestination`).
    static func write<Value: Encodable>(_ value: Value, to url: URL, followingLinks: Bool = true) throws {
        let writer = try AtomicFileWriter(path: url.path, followingLinks: followingLinks)
        try writer.write(Array(try SortedJSON.data(value)))
        try writer.commit()
    }
}
