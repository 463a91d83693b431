import Foundation

/// SiLU (swish): x * sigmoid(x).
public final class SiLU: Layer {
    private var input: Tensor?
    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        var y = x
        let n = y.count
        y.withMutablePointer { p in
            for i in 0..<n { p[i] = FastMath.silu(p[i]) }
        }
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        Self.backward(gradOutput, input: requireCached(input, "SiLU"))
    }

    /// dL/dx of SiLU at `x` for upstream gradient `gradOutput`.
    static func backward(_ gradOutput: Tensor, input x: Tensor) -> Tensor {
        var dx = gradOutput
        let n = dx.count
        x.withPointer { xp in
            dx.withMutablePointer { g in
                Parallel.forEachChunk(n, work: n * 8) { slice in
                    for i in slice {
                        let s = 1 / (1 + FastMath.exp(-xp[i]))
                        g[i] *= s * (1 + xp[i] * (1 - s))
                    }
                }
            }
        }
        return dx
    }
}

/// The exact (erf) GELU that diffusers' GEGLU uses, and its derivative.
enum GELUMath {
    @inline(__always) static func value(_ x: Float) -> Float {
        0.5 * x * (1 + FastMath.erf(x * 0.70710678118654752))
    }

    @inline(__always) static func derivative(_ x: Float) -> Float {
        let cdf = 0.5 * (1 + FastMath.erf(x * 0.70710678118654752))
        let pdf = FastMath.exp(-0.5 * x * x) * 0.39894228040143268
        return cdf + x * pdf
    }
}

/// Exact GELU as a layer.
public final class GELU: Layer {
    private var input: Tensor?
    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        return x.map(GELUMath.value)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let x = requireCached(input, "GELU")
        var dx = gradOutput
        for i in 0..<dx.count { dx.scalars[i] *= GELUMath.derivative(x.scalars[i]) }
        return dx
    }
}
