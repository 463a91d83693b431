import CSixel
import Foundation
import Testing
@testable import StudioUI

@Suite struct SixelEncoderTests {
    /// Four flat quadrants (red, green, blue, white) survive encode -> sixel_decode_raw.
    @Test func encodedPicturesDecodeBackToTheirColours() throws {
        let (width, height) = (24, 12)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        func colour(_ x: Int, _ y: Int) -> [UInt8] {
            switch (x < width / 2, y < height / 2) {
            case (true, true): return [255, 0, 0]
            case (false, true): return [0, 255, 0]
            case (true, false): return [0, 0, 255]
            case (false, false): return [255, 255, 255]
            }
        }
        for y in 0..<height { for x in 0..<width { pixels.replaceSubrange(((y * width + x) * 3)..<((y * width + x) * 3 + 3), with: colour(x, y)) } }
        let original = pixels
        let sixel = try SixelEncoder.encode(pixels: pixels, width: width, height: height)
        #expect(pixels == original)
        #expect(Array(sixel.prefix(2)) == [0x1B, 0x50] || sixel.first == 0x90)

        let decoded = try #require(decode(sixel))
        #expect(decoded.width == width && decoded.height == height)
        guard decoded.width == width, decoded.height >= height else { return }
        for (x, y) in [(1, 1), (20, 2), (3, 10), (22, 11), (11, 5), (12, 6)] {
            let found = decoded.rgb(x, y)
            let expected = colour(x, y).map(Int.init)
            #expect(zip(found, expected).allSatisfy { abs($0 - $1) <= 8 }, "(\(x), \(y)): \(found) vs \(expected)")
        }
    }

    /// Live frames use libsixel's fixed xterm-256 palette with a positional dither: the palette
    /// never changes, and in a flat area every pixel decodes to a colour near the original.
    @Test func theFixedPaletteIsStableAndClose() throws {
        let (width, height) = (16, 12)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) { (pixels[i], pixels[i + 1], pixels[i + 2]) = (200, 120, 40) }
        let first = try SixelEncoder.encode(pixels: pixels, width: width, height: height, palette: .fixedXterm256)
        #expect(first == (try SixelEncoder.encode(pixels: pixels, width: width, height: height, palette: .fixedXterm256)))

        let decoded = try #require(decode(first))
        guard decoded.width == width, decoded.height >= height else {
            Issue.record("decoded \(decoded.width)x\(decoded.height)")
            return
        }
        var mean = [0.0, 0.0, 0.0]
        for p in 0..<(width * height) {
            let rgb = decoded.rgb(p % width, p / width)
            for c in 0..<3 { mean[c] += Double(rgb[c]) / Double(width * height) }
        }
        // The dither mixes neighbouring palette colours; their average lands near the original.
        #expect(zip(mean, [200.0, 120, 40]).allSatisfy { abs($0 - $1) < 24 }, "\(mean)")
    }

    /// A finished picture is an upscaled soft gradient with more colours than the palette holds:
    /// averaged over 8x8 blocks (about what the eye blends), the decoded sixel stays close to
    /// the original, without the contour bands a lossy dither leaves where the palette steps.
    @Test func finishedPicturesKeepSoftGradientsWithoutBands() throws {
        let side = 256
        var pixels = [UInt8](repeating: 0, count: side * side * 3)
        for y in 0..<side {
            for x in 0..<side {
                let (dx, dy) = (Double(x - 150) / Double(side), Double(y - 110) / Double(side))
                let glow = exp(-(dx * dx + dy * dy) * 6)
                let i = (y * side + x) * 3
                (pixels[i], pixels[i + 1], pixels[i + 2]) = (UInt8(90 + 150 * glow), UInt8(60 + 140 * glow), UInt8(40 + 70 * glow + Double(y) / 16))
            }
        }
        let decoded = try #require(decode(try SixelEncoder.encode(pixels: pixels, width: side, height: side)))
        guard decoded.width == side, decoded.height >= side else {
            Issue.record("decoded \(decoded.width)x\(decoded.height)")
            return
        }
        var mean = 0.0
        for by in stride(from: 0, to: side, by: 8) {
            for bx in stride(from: 0, to: side, by: 8) {
                var error = [0.0, 0.0, 0.0]
                for y in by..<(by + 8) {
                    for x in bx..<(bx + 8) {
                        let found = decoded.rgb(x, y)
                        for c in 0..<3 { error[c] += Double(found[c] - Int(pixels[(y * side + x) * 3 + c])) / 64 }
                    }
                }
                mean += error.map(abs).reduce(0, +) / Double(3 * (side / 8) * (side / 8))
            }
        }
        // Floyd-Steinberg: 1.26 levels; Atkinson's dither, which drops a quarter of each error: 2.61.
        #expect(mean < 1.8, "8x8 blocks are off by \(mean) levels on average")
    }

    @Test func mismatchedBuffersAreRejected() {
        #expect(throws: SixelEncoder.Failure.invalidImage(width: 4, height: 4, bytes: 10)) {
            try SixelEncoder.encode(pixels: [UInt8](repeating: 0, count: 10), width: 4, height: 4)
        }
    }

    /// Sixel bytes decoded back by libsixel: the size and each pixel's palette colour.
    private func decode(_ sixel: [UInt8]) -> (width: Int, height: Int, rgb: (Int, Int) -> [Int])? {
        var allocator: OpaquePointer?
        guard sixel_allocator_new(&allocator, nil, nil, nil, nil) & SIXEL_FALSE == 0 else { return nil }
        defer { sixel_allocator_unref(allocator) }
        var bytes = sixel
        var indices: UnsafeMutablePointer<UInt8>?, palette: UnsafeMutablePointer<UInt8>?
        var (width, height, colours): (Int32, Int32, Int32) = (0, 0, 0)
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            sixel_decode_raw(buffer.baseAddress, Int32(buffer.count), &indices, &width, &height, &palette, &colours, allocator)
        }
        defer { sixel_allocator_free(allocator, indices); sixel_allocator_free(allocator, palette) }
        guard status & SIXEL_FALSE == 0, let indices, let palette else { return nil }
        let (w, h) = (Int(width), Int(height))
        let pixels = (0..<(w * h)).map { Int(indices[$0]) }
        let table = (0..<(Int(colours) * 3)).map { Int(palette[$0]) }
        return (w, h, { x, y in Array(table[(pixels[y * w + x] * 3)..<(pixels[y * w + x] * 3 + 3)]) })
    }
}
