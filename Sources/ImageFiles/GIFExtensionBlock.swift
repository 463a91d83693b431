import Foundation

/// The extension blocks a GIF file carries before its first picture. libsixel 1.10's GIF reader
/// takes an extension of exactly one sub-block (a short comment, an application block's
/// identifier alone) and NETSCAPE2.0's looping block as GIF writers make it (its identifier and
/// one 3-byte loop count), never a plain-text block, and fails with a general runtime error on
/// any other: an XMP or ICC application block, a comment of more than one sub-block, an empty
/// block. Walking the blocks, without decoding a pixel, names the one at fault.
enum GIFExtensionBlock {
    /// The first extension before the first picture (the only one PoseStudio asks libsixel for)
    /// that libsixel does not read, named as a user would know it (`"XMP DataXMP" application
    /// block`, `comment block`), non-printable bytes escaped; nil when the file is no GIF, has
    /// none, or is cut short before one.
    static func unread(file path: String) -> String? {
        guard let bytes = FileHead.bytes(of: path, startingWith: Array("GIF".utf8), upTo: loadLimitBytes) else { return nil }
        var walk = Walk(bytes: bytes)
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
                if !Self.libsixelReads(label: label, identifier: identifier, subBlocks: subBlocks) {
                    return Self.name(label: label, identifier: identifier)
                }
            }
            return nil
        }

        /// Whether libsixel steps over the extension: one sub-block, or NETSCAPE2.0's identifier
        /// and its loop count (`03 01 lo hi`); never a plain-text block (label 0x01).
        private static func libsixelReads(label: UInt8, identifier: String?, subBlocks: [[UInt8]]) -> Bool {
            guard label != 0x01 else { return false }
            if identifier == GIFExtensionBlock.looping {
                return subBlocks.count == 2 && subBlocks[1].count == 3 && subBlocks[1][0] == 1
            }
            return subBlocks.count == 1
        }

        private static func name(label: UInt8, identifier: String?) -> String {
            switch label {
            case 0xFF: identifier.map { "\"\($0)\" application block" } ?? "application block"
            case 0xFE: "comment block"
            case 0x01: "plain-text block"
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

        /// The sub-blocks up to their zero-length terminator, stepped over; nil when the file ends first.
        private mutating func skipSubBlocks() -> [[UInt8]]? {
            var blocks: [[UInt8]] = []
            while let size = byte() {
                if size == 0 { return blocks }
                guard index + Int(size) <= bytes.count else { return nil }
                blocks.append(Array(bytes[index..<(index + Int(size))]))
                index += Int(size)
            }
            return nil
        }

        /// Bytes of the global colour table a flags byte announces (bit 7 set: 3 * 2^(n+1)).
        private func colorTableSize(flags: UInt8) -> Int {
            flags & 0x80 == 0 ? 0 : 3 << (Int(flags & 0x07) + 1)
        }
    }
}
