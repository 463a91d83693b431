import Foundation
import ImageFiles
import PoseEngine

/// Reads an image a user names: a face for the studio and the renders, a picture for the
/// judge or the face encoder. `RGBImage.load` refuses files and decoded buffers too large to
/// hold; on top, a header that declares more than `maxSide` pixels on a side is refused by
/// name before decoding, and so is a decoded picture that has them.
enum ImageInputFile {
    static let maxSide = 8192

    static func load(_ path: String) throws -> SynthImage {
        if let size = declaredSize(path), size.width > maxSide || size.height > maxSide {
            throw ImageInputError.tooLarge(path: path, width: size.width, height: size.height, limit: maxSide)
        }
        let image = try RGBImage.load(from: path)
        guard image.width <= maxSide, image.height <= maxSide else {
            throw ImageInputError.tooLarge(path: path, width: image.width, height: image.height, limit: maxSide)
        }
        return SynthImage(width: image.width, height: image.height, pixels: image.pixels)
    }

    /// Width and height from a PNG, GIF, BMP or JPEG header; nil for anything else
    /// (the decoder then decides, and the size is checked after decoding).
    static func declaredSize(_ path: String) -> (width: Int, height: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 1 << 20), head.count >= 26 else { return nil }
        let b = [UInt8](head)
        func be(_ i: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 << 8 | Int(b[i + $1]) } }
        func le(_ i: Int, _ n: Int) -> Int { (0..<n).reversed().reduce(0) { $0 << 8 | Int(b[i + $1]) } }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return (be(16, 4), be(20, 4)) }
        if b.starts(with: Array("GIF".utf8)) { return (le(6, 2), le(8, 2)) }
        if b.starts(with: Array("BM".utf8)) { return (abs(Int(Int32(truncatingIfNeeded: le(18, 4)))), abs(Int(Int32(truncatingIfNeeded: le(22, 4))))) }
        if b.starts(with: [0xFF, 0xD8]) { return jpegFrameSize(b) }
        return nil
    }

    /// Walks JPEG marker segments to the first start-of-frame, which holds the size.
    private static func jpegFrameSize(_ b: [UInt8]) -> (width: Int, height: Int)? {
        var i = 2
        while i + 9 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isFrame { return (Int(b[i + 7]) << 8 | Int(b[i + 8]), Int(b[i + 5]) << 8 | Int(b[i + 6])) }
            i += 2 + length
        }
        return nil
    }
}

enum ImageInputError: Error, CustomStringConvertible {
    case tooLarge(path: String, width: Int, height: Int, limit: Int)

    var description: String {
        switch self {
        case .tooLarge(let path, let width, let height, let limit):
            return "\(path) is \(width)x\(height) pixels, larger than \(limit) on a side: scale it down (the networks see 64x64)"
        }
    }
}
