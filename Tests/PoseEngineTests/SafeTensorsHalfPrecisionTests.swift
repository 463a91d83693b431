import Testing
@testable import PoseEngine

/// The 16-bit conversions, bit by bit.
@Suite struct SafeTensorsHalfPrecisionTests {
    @Test func knownHalfBitPatterns() {
        let cases: [(UInt16, Float)] = [
            (0x0000, 0), (0x8000, -0.0), (0x3C00, 1), (0xC000, -2), (0x7BFF, 65504),
            (0x0001, 0x1p-24), (0x03FF, 1023 * 0x1p-24), (0x0400, 0x1p-14),
            (0x7C00, .infinity), (0xFC00, -.infinity), (0x3555, 0.333251953125),
        ]
        for (bits, value) in cases {
            #expect(HalfPrecision.float(fromHalfBits: bits).bitPattern == value.bitPattern, "bits \(bits)")
            #expect(HalfPrecision.halfBits(from: value) == bits, "value \(value)")
        }
        #expect(HalfPrecision.float(fromHalfBits: 0x7E00).isNaN)
        #expect(HalfPrecision.float(fromHalfBits: 0x7C01).isNaN)
    }

    @Test func everyHalfSurvivesARoundTrip() {
        for bits in UInt16.min...UInt16.max {
            let value = HalfPrecision.float(fromHalfBits: bits)
            if value.isNaN {
                #expect(HalfPrecision.halfBits(from: value) & 0x7C00 == 0x7C00)
                #expect(HalfPrecision.halfBits(from: value) & 0x03FF != 0)
            } else if HalfPrecision.halfBits(from: value) != bits {
                Issue.record("half \(bits) -> \(value) -> \(HalfPrecision.halfBits(from: value))")
            }
        }
    }

    #if !(os(macOS) && arch(x86_64))
    /// Swift's own Float16, where the platform has it, as an independent reference.
    @Test func agreesWithFloat16() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200_000 {
            // Random bit patterns cover every exponent, not just values near 1.
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            guard !value.isNaN else { continue }
            let expected = Float16(value).bitPattern
            if HalfPrecision.halfBits(from: value) != expected {
                Issue.record("\(value): \(HalfPrecision.halfBits(from: value)) != Float16's \(expected)")
            }
        }
        for bits in UInt16.min...UInt16.max {
            let reference = Float(Float16(bitPattern: bits))
            let value = HalfPrecision.float(fromHalfBits: bits)
            if !(reference.isNaN && value.isNaN) && reference.bitPattern != value.bitPattern {
                Issue.record("half \(bits): \(value) != Float16's \(reference)")
            }
        }
    }
    #endif

    @Test func bfloat16IsTheUpperHalf() {
        #expect(HalfPrecision.float(fromBFloat16Bits: 0x3F80) == 1)
        #expect(HalfPrecision.float(fromBFloat16Bits: 0xC040) == -3)
        #expect(HalfPrecision.float(fromBFloat16Bits: 0x0001) == 0x1p-133)
        #expect(HalfPrecision.bfloat16Bits(from: 1) == 0x3F80)
        #expect(HalfPrecision.bfloat16Bits(from: -.infinity) == 0xFF80)
        #expect(HalfPrecision.float(fromBFloat16Bits: HalfPrecision.bfloat16Bits(from: .nan)).isNaN)
        // Rounding that carries into the exponent.
        #expect(HalfPrecision.bfloat16Bits(from: Float(bitPattern: 0x3FFF_FFFF)) == 0x4000)
    }
}
