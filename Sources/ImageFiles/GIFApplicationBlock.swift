import Foundation

/// The application blocks a GIF file carries (extensions labelled 0xFF, named by an 11-byte
/// identifier): libsixel's GIF reader takes NETSCAPE2.0, the block that makes a GIF loop, and
/// fails on others (XMP DataXMP, ICCRGBG1012) with a general runtime error. Walking the blocks,
/// without decoding a pixel, names the one at fault.
enum GIFApplicationBlock {
    static let read = "NETSCAPE2.0"

    /// The identifier of the first application block libsixel does not read before the first
    /// picture (the only one PoseStudio asks it for), non-printable bytes escaped; nil when the
    /// file is no GIF, has none there, or is cut short before one.
    static func unreadIdentifier(file path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        // The signature first, so a failed load of another kind of file is not read through.
        guard let signature = try? handle.read(upToCount: 3), signature == Data("GIF".utf8),
              let rest = try? handle.read(upToCount: loadLimitBytes) else { return nil }
        var walk = Walk(bytes: [UInt8](signature + rest))
        return walk.unreadIdentifier().map { identifier in
            String(identifier.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
        }
    }

    private struct Walk {
        let bytes: [UInt8]
        var index = 0

        mutating func unreadIdentifier() -> String? {
            guard bytes.count >= 13 else { return nil }
            index = 13 + colorTableSize(flags: bytes[10])
            // Extensions (0x21) until the first picture (0x2C), all libsixel is asked for, or the end.
            while byte() == 0x21 {
                guard let label = byte() else { return nil }
                if label == 0xFF, let identifier = applicationIdentifier(), identifier != GIFApplicationBlock.read {
                    return identifier
                }
                guard skipSubBlocks() else { return nil }
            }
            return nil
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

        /// Steps over sub-blocks up to their zero-length terminator; false when the file ends first.
        private mutating func skipSubBlocks() -> Bool {
            while let size = byte() {
                if size == 0 { return true }
                index += Int(size)
            }
            return false
        }

        /// Bytes of the global colour table a flags byte announces (bit 7 set: 3 * 2^(n+1)).
        private func colorTableSize(flags: UInt8) -> Int {
            flags & 0x80 == 0 ? 0 : 3 << (Int(flags & 0x07) + 1)
        }
    }
}
