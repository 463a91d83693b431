/// The colour type a PNG file's header declares (byte 25, inside the IHDR chunk that must come
/// first): enough to name a kind of PNG libsixel reads no frame from, without decoding anything.
enum PNGColorType {
    static let greyWithAlpha: UInt8 = 4

    /// nil when the file is not a PNG or is too short to hold its header.
    static func of(file path: String) -> UInt8? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard let bytes = FileHead.bytes(of: path, startingWith: signature, upTo: 26), bytes.count == 26,
              Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        return bytes[25]
    }
}
