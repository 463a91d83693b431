import CSixel
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

        var allocator: OpaquePointer?
        #expect(sixel_allocator_new(&allocator, nil, nil, nil, nil) & SIXEL_FALSE == 0)
        defer { sixel_allocator_unref(allocator) }
        var bytes = sixel
        var indices: UnsafeMutablePointer<UInt8>?, palette: UnsafeMutablePointer<UInt8>?
        var (decodedWidth, decodedHeight, colours): (Int32, Int32, Int32) = (0, 0, 0)
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            sixel_decode_raw(buffer.baseAddress, Int32(buffer.count), &indices, &decodedWidth, &decodedHeight, &palette, &colours, allocator)
        }
        #expect(status & SIXEL_FALSE == 0)
        defer { sixel_allocator_free(allocator, indices); sixel_allocator_free(allocator, palette) }
        #expect(decodedWidth == Int32(width) && decodedHeight == Int32(height))
        guard let indices, let palette, decodedWidth == Int32(width), decodedHeight >= Int32(height) else { return }
        for (x, y) in [(1, 1), (20, 2), (3, 10), (22, 11), (11, 5), (12, 6)] {
            let index = Int(indices[y * width + x])
            let decoded = (0..<3).map { Int(palette[index * 3 + $0]) }
            let expected = colour(x, y).map(Int.init)
            #expect(zip(decoded, expected).allSatisfy { abs($0 - $1) <= 8 }, "(\(x), \(y)): \(decoded) vs \(expected)")
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

        var allocator: OpaquePointer?
        #expect(sixel_allocator_new(&allocator, nil, nil, nil, nil) & SIXEL_FALSE == 0)
        defer { sixel_allocator_unref(allocator) }
        var bytes = first
        var indices: UnsafeMutablePointer<UInt8>?, palette: UnsafeMutablePointer<UInt8>?
        var (decodedWidth, decodedHeight, colours): (Int32, Int32, Int32) = (0, 0, 0)
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            sixel_decode_raw(buffer.baseAddress, Int32(buffer.count), &indices, &decodedWidth, &decodedHeight, &palette, &colours, allocator)
        }
        #expect(status & SIXEL_FALSE == 0)
        defer { sixel_allocator_free(allocator, indices); sixel_allocator_free(allocator, palette) }
        guard let indices, let palette, decodedWidth == Int32(width), decodedHeight >= Int32(height) else {
            Issue.record("decoded \(decodedWidth)x\(decodedHeight)")
            return
        }
        var mean = [0.0, 0.0, 0.0]
        for p in 0..<(width * height) {
            for c in 0..<3 { mean[c] += Double(palette[Int(indices[p]) * 3 + c]) / Double(width * height) }
        }
        // The dither mixes neighbouring palette colours; their average lands near the original.
        #expect(zip(mean, [200.0, 120, 40]).allSatisfy { abs($0 - $1) < 24 }, "\(mean)")
    }

    @Test func mismatchedBuffersAreRejected() {
        #expect(throws: SixelEncoder.Failure.invalidImage(width: 4, height: 4, bytes: 10)) {
            try SixelEncoder.encode(pixels: [UInt8](repeating: 0, count: 10), width: 4, height: 4)
        }
    }
}
