/// The unfolding of NCHW images into convolution patches, and its adjoint.
///
/// Both work on a range of images of the batch so a convolution can process a
/// large batch in chunks whose column matrix stays small (large temporary
/// buffers come straight from the kernel, page-faulted and zeroed each time).
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

    /// Planes this large give GEMMs wide enough on their own, so going image by
    /// image writes NCHW directly and saves two layout copies per convolution.
    var prefersPerImage: Bool { batch > 1 && outputPlane >= 256 }

    /// Images per chunk so that one chunk's column matrix holds at most ~2M floats.
    var imagesPerChunk: Int { max(1, (1 << 21) / max(patchSize * outputPlane, 1)) }

    /// Valid output columns [first, last) for kernel column kj when stride is 1.
    private func validColumns(_ kj: Int) -> (Int, Int) {
        (max(0, padding.left - kj), min(outputWidth, width + padding.left - kj))
    }

    /// [C*k*k, n*Ho*Wo] for the images in `images`: row (c, ki, kj), column (image, oy, ox).
    func unfold(_ x: Tensor, images: Range<Int>) -> Tensor {
        let (ho, wo, plane) = (outputHeight, outputWidth, outputPlane)
        let columns = images.count * plane
        // Every element is written below: copied input or an explicit zero for padding.
        var col = Tensor(uninitialized: [patchSize, columns])
        x.withPointer { xp in
            col.withMutablePointer { cp in
                // Each input channel fills its own k*k rows.
                Parallel.forEachChunk(channels, work: patchSize * columns) { channelSlice in
                for c in channelSlice {
                    for ki in 0..<kernel {
                        for kj in 0..<kernel {
                            let row = cp + ((c * kernel + ki) * kernel + kj) * columns
                            let (first, last) = validColumns(kj)
                            for (slot, n) in images.enumerated() {
                                let src = xp + (n * channels + c) * height * width
                                let dst = row + slot * plane
                                for oy in 0..<ho {
                                    let iy = oy * stride - padding.top + ki
                                    let dstRow = dst + oy * wo
                                    guard iy >= 0 && iy < height else {
                                        dstRow.update(repeating: 0, count: wo)
                                        continue
                                    }
                                    let srcRow = src + iy * width
                                    if stride == 1 && first < last {
                                        dstRow.update(repeating: 0, count: first)
                                        (dstRow + first).update(from: srcRow + (first - padding.left + kj), count: last - first)
                                        (dstRow + last).update(repeating: 0, count: wo - last)
                                    } else {
                                        for ox in 0..<wo {
                                            let ix = ox * stride - padding.left + kj
                                            dstRow[ox] = ix >= 0 && ix < width ? srcRow[ix] : 0
                                        }
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

    /// The adjoint of `unfold`: adds column gradients back into `dx` for `images`.
    func fold(_ col: Tensor, into dx: inout Tensor, images: Range<Int>) {
        let (ho, wo, plane) = (outputHeight, outputWidth, outputPlane)
        let columns = images.count * plane
        dx.withMutablePointer { xp in
            col.withPointer { cp in
                // Each input channel's gradient planes are written by that channel alone.
                Parallel.forEachChunk(channels, work: patchSize * columns) { channelSlice in
                for c in channelSlice {
                    for ki in 0..<kernel {
                        for kj in 0..<kernel {
                            let row = cp + ((c * kernel + ki) * kernel + kj) * columns
                            let (first, last) = validColumns(kj)
                            for (slot, n) in images.enumerated() {
                                let dst = xp + (n * channels + c) * height * width
                                let src = row + slot * plane
                                for oy in 0..<ho {
                                    let iy = oy * stride - padding.top + ki
                                    guard iy >= 0 && iy < height else { continue }
                                    let dstRow = dst + iy * width, srcRow = src + oy * wo
                                    if stride == 1 {
                                        let offset = kj - padding.left
                                        if first < last {
                                            for ox in first..<last { dstRow[ox + offset] += srcRow[ox] }
                                        }
                                    } else {
                                        for ox in 0..<wo {
                                            let ix = ox * stride - padding.left + kj
                                            if ix >= 0 && ix < width { dstRow[ix] += srcRow[ox] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                }
            }
        }
    }
}
