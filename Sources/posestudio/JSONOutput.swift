import Foundation

/// The JSON a command prints: keys sorted so reports diff cleanly; pretty for the bench
/// reports people read, compact for the one-line answers scripts parse.
func jsonText(_ value: some Encodable, pretty: Bool = true) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
