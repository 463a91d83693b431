import Foundation

/// JSON with sorted keys, so equal values always give equal bytes: pretty for the files and
/// reports people read, compact for one-line answers and for comparing configurations.
public enum SortedJSON {
    public static func data(_ value: some Encodable, pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        return try encoder.encode(value)
    }

    public static func string(_ value: some Encodable, pretty: Bool = true) throws -> String {
        String(decoding: try data(value, pretty: pretty), as: UTF8.self)
    }
}
