import Foundation
import ImageFiles
import PoseEngine

/// Reads an image a user names: a face for the studio and the renders, a picture for the
/// judge or the face encoder. `RGBImage.load` refuses files and decoded buffers too large to
/// hold, whatever size a header claims; a decoded picture longer than `maxSide` on a side (a
/// thin strip can fit that budget) is refused by name, and so is one shorter than `minSide`,
/// which holds no face to read: stretched to the networks' 64x64 it would still get a reading.
enum ImageInputFile {
    static let maxSide = 8192
    static let minSide = 16

    static func load(_ path: String) throws -> SynthImage {
        let image = try RGBImage.load(from: path)
        guard image.width <= maxSide, image.height <= maxSide else {
            throw ImageInputError.tooLarge(path: path, width: image.width, height: image.height, limit: maxSide)
        }
        guard image.width >= minSide, image.height >= minSide else {
            throw ImageInputError.tooSmall(path: path, width: image.width, height: image.height, limit: minSide)
        }
        return SynthImage(width: image.width, height: image.height, pixels: image.pixels)
    }
}

enum ImageInputError: Error, CustomStringConvertible {
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    case tooSmall(path: String, width: Int, height: Int, limit: Int)

    var description: String {
        switch self {
        case .tooLarge(let path, let width, let height, let limit):
            return "\(path) is \(width)x\(height) pixels, larger than \(limit) on a side: scale it down (the networks see 64x64)"
        case .tooSmall(let path, let width, let height, let limit):
            return "\(path) is \(width)x\(height) pixels, smaller than \(limit) on a side: too small to hold a face (the networks see 64x64)"
        }
    }
}
