/// exp and erf in plain arithmetic so loops over them vectorise (libm's expf
/// and erff are opaque calls, one element at a time). Accurate to a few ulp:
/// far below the 1e-4 the parity tests demand of whole models.
public enum FastMath {
    /// e^x via 2^n * e^r with |r| <= ln2/2 and a degree-6 polynomial (relative error ~2e-7).
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.0), 88.0)
        // Adding and removing 1.5 * 2^23 rounds to the nearest integer in plain
        // arithmetic (|x| < 2^22 here), where rounded() would be a libm call.
        let shifter: Float = 12_582_912
        let n = (clamped * 1.442695041 + shifter) - shifter
        let r = clamped - n * 0.693145751953125 - n * 1.428606765330187e-06
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // A NaN passes the clamp, and converting it to an integer traps: its exponent becomes 0
        // and the NaN carries on through r and p, for the caller's finite checks to find.
        let exponent = Int32(n.isNaN ? 0 : n)
        return p * Float(bitPattern: UInt32(bitPattern: exponent &+ 127) << 23)
    }

    /// erf from the Chebyshev fit of erfc (Numerical Recipes' erfcc; fractional error < 1.2e-7).
    @inline(__always)
    public static func erf(_ x: Float) -> Float {
        let z = Swift.abs(x)
        let t = 1 / (1 + 0.5 * z)
        var poly: Float = 0.17087277
        poly = poly * t - 0.82215223
        poly = poly * t + 1.48851587
        poly = poly * t - 1.13520398
        poly = poly * t + 0.27886807
        poly = poly * t - 0.18628806
        poly = poly * t + 0.09678418
        poly = poly * t + 0.37409196
        poly = poly * t + 1.00002368
        poly = poly * t - 1.26551223
        let erfc = t * exp(-z * z + poly)
        return x >= 0 ? 1 - erfc : erfc - 1
    }

    /// x * sigmoid(x)
    @inline(__always)
    public static func silu(_ x: Float) -> Float { x / (1 + exp(-x)) }
}

/// Reductions with several independent accumulators: a single running sum is
/// one long dependency chain the compiler may not reorder (float addition is
/// not associative), which leaves the vector units idle.
public enum VectorMath {
    @inline(__always)
    public static func sum(_ p: UnsafePointer<Float>, _ range: Range<Int>) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var total = acc.sum()
        while i < range.upperBound {
            total += p[i]
            i += 1
        }
        return total
    }

    /// Sum of (p[i] - mean)^2.
    @inline(__always)
    public static func squaredDeviations(_ p: UnsafePointer<Float>, _ range: Range<Int>, mean: Float) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        let m = SIMD16<Float>(repeating: mean)
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let d = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self) - m
            acc += d * d
            i += 16
        }
        var total = acc.sum()
        while i < range.upperBound {
            total += (p[i] - mean) * (p[i] - mean)
            i += 1
        }
        return total
    }

    /// Sum of a[i] * b[i].
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ range: Range<Int>) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
                * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var total = acc.sum()
        while i < range.upperBound {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }
}
