/// The unfolding of an NCHW batch into convolution patches, and its adjoint.
struct Im2Col {
    let batch, channels, height, width, kernel, stride: Int
    let padding: Padding2D

    init(batch: Int, channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Padding2D) {
        (self.batch, self.channels, self.height, self.width) = (batch, channels, height, width)
        (self.kernel, self.stride, self.padding) = (kernel, stride, padding)
    }

    var outputHeight: Int { (height + padding.top + padding.bottom - kernel) / stride + 1 }
    var outputWidth: Int { (width + padding.left + padding.right - kernel) / stride + 1 }
    var outputPlane: Int { outputHeight * outputWidth }
    var patchSize: Int { channels * kernel * kernel }
    var isIdentity: Bool { kernel == 1 && stride == 1 && padding == .uniform(0) }

    /// [C*k*k, N*Ho*Wo]: row (c, ki, kj), column (n, oy, ox).
    func unfold(_ x: Tensor) -> Tensor {
        if isIdentity { return Layout.batchMajorToChannelsMajor(x) }
        let (ho, wo, plane) = (outputHeight, outputWidth, outputPlane)
        let columns = batch * plane
        var col = Tensor(zeros: [patchSize, columns])
        x.withPointer { xp in
            col.withMutablePointer { cp in
                for c in 0..<channels {
                    for ki in 0..<kernel {
                        for kj in 0..<kernel {
                            let row = cp + ((c * kernel + ki) * kernel + kj) * columns
                            for n in 0..<batch {
                                let src = xp + (n * channels + c) * height * width
                                let dst = row + n * plane
                                for oy in 0..<ho {
                                    let iy = oy * stride - padding.top + ki
                                    guard iy >= 0 && iy < height else { continue }
                                    let srcRow = src + iy * width
                                    let dstRow = dst + oy * wo
                                    if stride == 1 {
                                        // Contiguous run of valid input columns.
                                        let first = max(0, padding.left - kj)
                                        let last = min(wo, width + padding.left - kj)
                                        if first < last {
                                            (dstRow + first).update(from: srcRow + (first - padding.left + kj), count: last - first)
                                        }
                                    } else {
                                        for ox in 0..<wo {
                                            let ix = ox * stride - padding.left + kj
                                            if ix >= 0 && ix < width { dstRow[ox] = srcRow[ix] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return col
    }

    /// The adjoint of `unfold`: scatters-and-adds column gradients back to NCHW.
    func fold(_ col: Tensor) -> Tensor {
        if isIdentity { return Layout.channelsMajorToBatchMajor(col, batch: batch, height: height, width: width) }
        let (ho, wo, plane) = (outputHeight, outputWidth, outputPlane)
        let columns = batch * plane
        var x = Tensor(zeros: [batch, channels, height, width])
        x.withMutablePointer { xp in
            col.withPointer { cp in
                for c in 0..<channels {
                    for ki in 0..<kernel {
                        for kj in 0..<kernel {
                            let row = cp + ((c * kernel + ki) * kernel + kj) * columns
                            for n in 0..<batch {
                                let dst = xp + (n * channels + c) * height * width
                                let src = row + n * plane
                                for oy in 0..<ho {
                                    let iy = oy * stride - padding.top + ki
                                    guard iy >= 0 && iy < height else { continue }
                                    for ox in 0..<wo {
                                        let ix = ox * stride - padding.left + kj
                                        if ix >= 0 && ix < width { dst[iy * width + ix] += src[oy * wo + ox] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return x
    }
}
