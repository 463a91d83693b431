import AtomicFiles
import Foundation

/// Writes a value as pretty, key-sorted JSON, atomically (files users keep: sessions, preview maps).
enum PrettyJSONFile {
    static func write<Value: Encodable>(_ value: Value, to url: URL) throws {
        let writer = try AtomicFileWriter(path: url.path)
        try writer.write(Array(try SortedJSON.data(value)))
        try writer.commit()
    }
}
