import Foundation

/// The first bytes of a file whose load failed, read to name why: only when the file starts with
/// the signature of the kind asked about, so a failed load of another kind is not read through.
enum FileHead {
    /// Up to `count` bytes from the start of the file, signature included; nil when the file
    /// cannot be opened or does not start with `signature`.
    static func bytes(of path: String, startingWith signature: [UInt8], upTo count: Int) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let start = try? handle.read(upToCount: signature.count), [UInt8](start) == signature,
              let rest = try? handle.read(upToCount: max(count - signature.count, 0)) ?? Data() else { return nil }
        return signature + [UInt8](rest)
    }
}
