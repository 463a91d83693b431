/// Bit-exact conversions between `Float` and the two 16-bit float formats of
/// safetensors files.
///
/// Written on bit patterns rather than with `Float16`, which Swift does not
/// offer on every platform the package builds for. Narrowing rounds to the
/// nearest value, ties to even, as PyTorch does.
public enum HalfPrecision {
    /// IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits) to `Float`.
    public static func float(fromHalfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa * 2^-24, exact in Float.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            // Infinity, or NaN with its payload kept.
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | ((exponent + 127 - 15) << 23) | (mantissa << 13))
        }
    }

    /// `Float` to IEEE 754 binary16, rounding to nearest even; values beyond
    /// the half range become infinity and NaN stays NaN.
    public static func halfBits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits & 0x8000_0000) >> 16)
        let magnitude = bits & 0x7FFF_FFFF

        let halfOverflow: UInt32 = (127 + 16) << 23       // 65536: rounds to infinity from here on
        let smallestNormalHalf: UInt32 = (127 - 14) << 23 // 2^-14
        if magnitude >= halfOverflow {
            let isNaN = magnitude > 0x7F80_0000
            return sign | (isNaN ? 0x7E00 : 0x7C00)
        }
        if magnitude < smallestNormalHalf {
            // Adding 0.5 makes the FPU round the value to a multiple of 2^-24
            // (the spacing of subnormal halves) with ties to even; the low
            // bits of the sum are then the half's mantissa.
            let magic: UInt32 = 126 << 23
            let sum = Float(bitPattern: magnitude) + Float(bitPattern: magic)
            return sign | UInt16(truncatingIfNeeded: sum.bitPattern &- magic)
        }
        // Normal: rebias the exponent and round the 13 dropped mantissa bits
        // to nearest even; a carry correctly bumps the exponent.
        let mantissaIsOdd = (magnitude >> 13) & 1
        let rounded = magnitude &+ (UInt32(bitPattern: Int32(15 - 127) << 23)) &+ 0xFFF &+ mantissaIsOdd
        return sign | UInt16(truncatingIfNeeded: rounded >> 13)
    }

    /// bfloat16 is the top half of a `Float`.
    public static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// `Float` to bfloat16, rounding to nearest even; NaN stays a (quiet) NaN.
    public static func bfloat16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN {
            return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
        }
        let roundingBias = 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ roundingBias) >> 16)
    }
}
