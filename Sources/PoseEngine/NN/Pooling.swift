/// Mean over the spatial dimensions: [N, C, H, W] -> [N, C].
public final class GlobalAveragePool: Layer {
    private var inputShape: [Int] = []
    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        inputShape = x.shape
        let (batch, channels) = (x.shape[0], x.shape[1])
        let plane = x.count / (batch * channels)
        var y = Tensor(uninitialized: [batch, channels])
        x.withPointer { xp in
            y.withMutablePointer { yp in
                for nc in 0..<(batch * channels) {
                    var s: Float = 0
                    for i in 0..<plane { s += xp[nc * plane + i] }
                    yp[nc] = s / Float(plane)
                }
            }
        }
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let (batch, channels) = (inputShape[0], inputShape[1])
        let plane = inputShape.reduce(1, *) / (batch * channels)
        var dx = Tensor(uninitialized: inputShape)
        gradOutput.withPointer { gp in
            dx.withMutablePointer { dp in
                for nc in 0..<(batch * channels) {
                    let g = gp[nc] / Float(plane)
                    for i in 0..<plane { dp[nc * plane + i] = g }
                }
            }
        }
        return dx
    }
}

/// Rescales each row of [N, D] to unit length (embeddings compared by cosine).
public final class L2Normalize: Layer {
    private var output: Tensor?
    private var norms: [Float] = []
    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        let d = x.shape[x.rank - 1], rows = x.count / d
        var y = x
        var norms = [Float](repeating: 0, count: rows)
        y.withMutablePointer { p in
            for r in 0..<rows {
                var s: Float = 0
                for j in 0..<d { s += p[r * d + j] * p[r * d + j] }
                let norm = max(s.squareRoot(), 1e-8)
                norms[r] = norm
                for j in 0..<d { p[r * d + j] /= norm }
            }
        }
        output = y
        self.norms = norms
        return y
    }

    /// dx = (g - y (y . g)) / |x|
    public func backward(_ gradOutput: Tensor) -> Tensor {
        let y = requireCached(output, "L2Normalize")
        let d = y.shape[y.rank - 1], rows = y.count / d
        var dx = gradOutput
        y.withPointer { yp in
            dx.withMutablePointer { gp in
                for r in 0..<rows {
                    var dot: Float = 0
                    for j in 0..<d { dot += yp[r * d + j] * gp[r * d + j] }
                    for j in 0..<d { gp[r * d + j] = (gp[r * d + j] - yp[r * d + j] * dot) / norms[r] }
                }
            }
        }
        return dx
    }
}
