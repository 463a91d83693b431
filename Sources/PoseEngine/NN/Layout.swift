/// Reorderings between the layouts the layers compute in.
public enum Layout {
    /// [C, N*H*W] (one GEMM's output for a whole batch) -> [N, C, H, W].
    static func channelsMajorToBatchMajor(_ t: Tensor, batch: Int, height: Int, width: Int) -> Tensor {
        let channels = t.shape[0]
        if batch == 1 { return t.reshaped([1, channels, height, width]) }
        let plane = height * width
        var out = Tensor(uninitialized: [batch, channels, height, width])
        t.withPointer { src in
            out.withMutablePointer { dst in
                for c in 0..<channels {
                    for n in 0..<batch {
                        (dst + (n * channels + c) * plane).update(from: src + (c * batch + n) * plane, count: plane)
                    }
                }
            }
        }
        return out
    }

    /// [N, C, H, W] -> [C, N*H*W].
    static func batchMajorToChannelsMajor(_ t: Tensor) -> Tensor {
        let (batch, channels) = (t.shape[0], t.shape[1])
        let plane = t.count / (batch * channels)
        if batch == 1 { return t.reshaped([channels, plane]) }
        var out = Tensor(uninitialized: [channels, batch * plane])
        t.withPointer { src in
            out.withMutablePointer { dst in
                for n in 0..<batch {
                    for c in 0..<channels {
                        (dst + (c * batch + n) * plane).update(from: src + (n * channels + c) * plane, count: plane)
                    }
                }
            }
        }
        return out
    }

    /// [N, C, H, W] -> [N, H*W, C] (tokens for attention).
    public static func toTokens(_ t: Tensor) -> Tensor {
        let (batch, channels) = (t.shape[0], t.shape[1])
        let plane = t.count / (batch * channels)
        var out = Tensor(uninitialized: [batch, plane, channels])
        t.withPointer { src in
            out.withMutablePointer { dst in
                for n in 0..<batch {
                    let s = src + n * channels * plane, d = dst + n * channels * plane
                    for c in 0..<channels {
                        for p in 0..<plane { d[p * channels + c] = s[c * plane + p] }
                    }
                }
            }
        }
        return out
    }

    /// [N, H*W, C] -> [N, C, H, W].
    public static func fromTokens(_ t: Tensor, height: Int, width: Int) -> Tensor {
        let (batch, plane, channels) = (t.shape[0], t.shape[1], t.shape[2])
        precondition(plane == height * width)
        var out = Tensor(uninitialized: [batch, channels, height, width])
        t.withPointer { src in
            out.withMutablePointer { dst in
                for n in 0..<batch {
                    let s = src + n * channels * plane, d = dst + n * channels * plane
                    for p in 0..<plane {
                        for c in 0..<channels { d[c * plane + p] = s[p * channels + c] }
                    }
                }
            }
        }
        return out
    }

    /// Concatenates two NCHW tensors along channels.
    public static func concatChannels(_ a: Tensor, _ b: Tensor) -> Tensor {
        let batch = a.shape[0]
        let plane = a.count / (batch * a.shape[1])
        let (ca, cb) = (a.shape[1], b.shape[1])
        var shape = a.shape
        shape[1] = ca + cb
        var out = Tensor(uninitialized: shape)
        a.withPointer { ap in
            b.withPointer { bp in
                out.withMutablePointer { op in
                    for n in 0..<batch {
                        (op + n * (ca + cb) * plane).update(from: ap + n * ca * plane, count: ca * plane)
                        (op + (n * (ca + cb) + ca) * plane).update(from: bp + n * cb * plane, count: cb * plane)
                    }
                }
            }
        }
        return out
    }

    /// Splits an NCHW tensor along channels into the first `first` channels and the rest.
    public static func splitChannels(_ t: Tensor, first: Int) -> (Tensor, Tensor) {
        let (batch, channels) = (t.shape[0], t.shape[1])
        let plane = t.count / (batch * channels)
        let rest = channels - first
        var shapeA = t.shape, shapeB = t.shape
        shapeA[1] = first
        shapeB[1] = rest
        var a = Tensor(uninitialized: shapeA), b = Tensor(uninitialized: shapeB)
        t.withPointer { tp in
            a.withMutablePointer { ap in
                b.withMutablePointer { bp in
                    for n in 0..<batch {
                        (ap + n * first * plane).update(from: tp + n * channels * plane, count: first * plane)
                        (bp + n * rest * plane).update(from: tp + (n * channels + first) * plane, count: rest * plane)
                    }
                }
            }
        }
        return (a, b)
    }
}
