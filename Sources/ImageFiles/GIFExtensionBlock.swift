import Foundation

/// The extension blocks a GIF file carries before its first picture. libsixel's GIF reader takes
/// an extension of one sub-block (a short comment, an application block's identifier alone), and
/// NETSCAPE2.0's looping block of two, and fails with a general runtime error on any longer one:
/// an XMP or ICC application block, a comment of more than 255 bytes. Walking the blocks, without
/// decoding a pixel, names the one at fault.
enum GIFExtensionBlock {
    /// The first extension before the first picture (the only one PoseStudio asks libsixel for)
    /// that libsixel does not read, named as a user would know it (`"XMP DataXMP" application
    /// block`, `comment block`), non-printable bytes escaped; nil when the file is no GIF, has
    /// none, or is cut short before one.
    static func unread(file path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        // The signature first, so a failed load of another kind of file is not read through.
        guard let signature = try? handle.read(upToCount: 3), signature == Data("GIF".utf8),
              let rest = try? handle.read(upToCount: loadLimitBytes) else { return nil }
        var walk = Walk(bytes: [UInt8](signature + rest))
        return walk.firstUnread().map { name in
            String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
        }
    }

    static let looping = "NETSCAPE2.0"

    private struct Walk {
        let bytes: [UInt8]
        var index = 0

        mutating func firstUnread() -> String? {
            guard bytes.count >= 13 else { return nil }
            index = 13 + colorTableSize(flags: bytes[10])
            // Extensions (0x21) until the first picture (0x2C) or the end.
            while byte() == 0x21 {
                guard let label = byte() else { return nil }
                let identifier = label == 0xFF ? applicationIdentifier() : nil
                guard let subBlocks = skipSubBlocks() else { return nil }
                if subBlocks > (identifier == GIFExtensionBlock.looping ? 2 : 1) {
                    return Self.name(label: label, identifier: identifier)
                }
            }
            return nil
        }

        private static func name(label: UInt8, identifier: String?) -> String {
            switch label {
            case 0xFF: "\"\(identifier ?? "")\" application block"
            case 0xFE: "comment block"
            default: String(format: "extension block 0x%02X", label)
            }
        }

        /// The identifier of the application block whose first sub-block starts here (11 bytes).
        private func applicationIdentifier() -> String? {
            guard index + 12 <= bytes.count, bytes[index] == 11 else { return nil }
            return String(decoding: bytes[(index + 1)...(index + 11)], as: UTF8.self)
        }

        private mutating func byte() -> UInt8? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }

        /// Steps over sub-blocks up to their zero-length terminator and counts them; nil when the
        /// file ends first.
        private mutating func skipSubBlocks() -> Int? {
            var count = 0
            while let size = byte() {
                if size == 0 { return count }
                index += Int(size)
                count += 1
            }
            return nil
        }

        /// Bytes of the global colour table a flags byte announces (bit 7 set: 3 * 2^(n+1)).
        private func colorTableSize(flags: UInt8) -> Int {
            flags & 0x80 == 0 ? 0 : 3 << (Int(flags & 0x07) + 1)
        }
    }
}
