/// diffusers' GEGLU: one projection to 2*inner features, split into a value
/// half and a gate half; y = value * GELU(gate).
public final class GEGLU: Layer {
    public let proj: Linear
    private var projected: Tensor?
    private let inner: Int

    public init(_ dim: Int, inner: Int, generator: inout SeededGenerator) {
        self.inner = inner
        proj = Linear(dim, 2 * inner, generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(proj, as: "proj", visit)
    }

    public func forward(_ x: Tensor) -> Tensor {
        let h = proj.forward(x)
        projected = h
        let rows = h.count / (2 * inner)
        var outShape = h.shape
        outShape[outShape.count - 1] = inner
        var y = Tensor(uninitialized: outShape)
        let inner = inner
        h.withPointer { hp in
            y.withMutablePointer { yp in
                for r in 0..<rows {
                    let value = hp + r * 2 * inner, gate = value + inner, out = yp + r * inner
                    for j in 0..<inner { out[j] = value[j] * GELUMath.value(gate[j]) }
                }
            }
        }
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let h = requireCached(projected, "GEGLU")
        let rows = h.count / (2 * inner)
        var dh = Tensor(uninitialized: h.shape)
        let inner = inner
        h.withPointer { hp in
            gradOutput.withPointer { dyp in
                dh.withMutablePointer { dhp in
                    for r in 0..<rows {
                        let value = hp + r * 2 * inner, gate = value + inner
                        let dy = dyp + r * inner
                        let dValue = dhp + r * 2 * inner, dGate = dValue + inner
                        for j in 0..<inner {
                            dValue[j] = dy[j] * GELUMath.value(gate[j])
                            dGate[j] = dy[j] * value[j] * GELUMath.derivative(gate[j])
                        }
                    }
                }
            }
        }
        return proj.backward(dh)
    }
}

/// diffusers' FeedForward with a GEGLU activation: net.0 = GEGLU(dim, 4*dim),
/// net.1 = dropout (identity at p = 0), net.2 = Linear(4*dim, dim).
public final class FeedForward: Layer {
    public let geglu: GEGLU
    public let out: Linear

    public init(_ dim: Int, multiplier: Int = 4, generator: inout SeededGenerator) {
        geglu = GEGLU(dim, inner: dim * multiplier, generator: &generator)
        out = Linear(dim * multiplier, dim, generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(geglu, as: "net.0", visit)
        PoseEngine.visit(out, as: "net.2", visit)
    }

    public func forward(_ x: Tensor) -> Tensor { out.forward(geglu.forward(x)) }
    public func backward(_ gradOutput: Tensor) -> Tensor { geglu.backward(out.backward(gradOutput)) }
}
