import CBLAS

/// The gradients of 'same' convolutions with few input channels (the encoder's and the
/// discriminator's first layers: 1 for grey images, 3 for colour) as sgemms, where oneDNN's kernels
/// are slow on these shapes (measured, the discriminator's 7x7/2 1->128 at batch 192: backward-data
/// 31 ms, 10-15 GFLOPS; backward-weights 6.9 ms, 68 GFLOPS; its 7x7/2 3->128 at 32x32, batch 192,
/// on two shared cores: backward-data 174-248 ms against 76-100 ms here), because so few channels
/// give them little to vectorise along. HWIO with c input channels is a [taps*c, o] matrix, row
/// (t, ch), so both are GEMMs over output pixels p and kernel rows r = (t, ch):
///
///     data:     C[p, r] = sum_o dy[p, o] * w[r, o]     then dx[q, ch] = sum of C[p, (t, ch)] over the
///                                                      (p, t) that read input pixel q      (col2im)
///     weights (one channel):
///               cols[p, t] = x[pixel that tap t of output p reads] (im2col, 0 in the padding)
///               dw[t, o] = sum_p cols[p, t] * dy[p, o],   db[o] = sum_p dy[p, o]
///
/// Images are independent, so threads take whole images, each with its own sgemms (OpenBLAS runs
/// on one thread, `Threads`).
enum FewInputConv {
    /// The most input channels these kernels take: a colour image's three.
    static let maxInputChannels = 3

    static func applies(to g: ConvGeometry) -> Bool { g.inChannels <= maxInputChannels }

    /// The weight gradient runs here for one input channel only, as a (taps x o) GEMM, and only
    /// from ~1,000 entries, below which it does not pay for the im2col (measured: the encoder's
    /// 3x3/2 1->32 at batch 64, 0.22 ms against oneDNN's 0.11). With a colour image's three
    /// channels oneDNN's kernel is faster (measured on the discriminator's 7x7/2 3->128 at 32x32,
    /// batch 192, two shared cores: 46-65 ms against 72-100 ms for im2col + sgemm).
    static func computesWeightGradient(of g: ConvGeometry) -> Bool {
        g.inChannels == 1 && g.kernelHeight * g.kernelWidth * g.outChannels >= 1024
    }

    static func backwardData(
        _ g: ConvGeometry, dy: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>,
        dx: UnsafeMutablePointer<Float>
    ) {
        let (oh, ow, o, ch) = (g.outHeight, g.outWidth, g.outChannels, g.inChannels)
        let (kh, kw) = (g.kernelHeight, g.kernelWidth)
        let rows = kh * kw * ch  // of the kernel matrix
        let (h, wd, s) = (g.height, g.width, g.stride)
        let (top, left) = (g.padH.before, g.padW.before)
        let outPixels = oh * ow, image = h * wd * ch
        Parallel.forRanges(g.batch, grain: 1) { images in
            let count = images.count
            let cols = Tensor(shape: [count * outPixels, rows], uninitialized: true)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count * outPixels), Int32(rows), Int32(o),
                1, dy + images.lowerBound * outPixels * o, Int32(o), w, Int32(o), 0, cols.data, Int32(rows))
            let out = dx + images.lowerBound * image
            out.update(repeating: 0, count: count * image)
            for img in 0..<count {
                let plane = out + img * image
                for i in 0..<oh {
                    for j in 0..<ow {
                        let c = cols.data + ((img * oh + i) * ow + j) * rows
                        for ki in 0..<kh {
                            let y = i * s + ki - top
                            guard y >= 0 && y < h else { continue }
                            for kj in 0..<kw {
                                let x = j * s + kj - left
                                guard x >= 0 && x < wd else { continue }
                                let pixel = plane + (y * wd + x) * ch, tap = c + (ki * kw + kj) * ch
                                for k in 0..<ch { pixel[k] += tap[k] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Images per block of the weight gradient: the block's im2col (~1 MB for the discriminator)
    /// stays in cache for its sgemm, and the blocks, not the threads, fix the order of the sums,
    /// so the result is the same for any thread count.
    static let imagesPerBlock = 16

    static func backwardWeights(
        _ g: ConvGeometry, x: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>,
        dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>
    ) {
        let (oh, ow, o) = (g.outHeight, g.outWidth, g.outChannels)
        let (kh, kw, taps) = (g.kernelHeight, g.kernelWidth, g.kernelHeight * g.kernelWidth)
        let (h, wd, s) = (g.height, g.width, g.stride)
        let (top, left) = (g.padH.before, g.padW.before)
        let outPixels = oh * ow
        let blocks = (g.batch + imagesPerBlock - 1) / imagesPerBlock
        // Per block: dw's taps x o values, then db's o.
        let partial = Tensor(shape: [blocks, (taps + 1) * o], uninitialized: true)
        Parallel.forRanges(blocks, grain: 1) { range in
            let cols = Tensor(shape: [imagesPerBlock * outPixels, taps], uninitialized: true)
            for block in range {
                let first = block * imagesPerBlock, count = min(imagesPerBlock, g.batch - first)
                for img in 0..<count {
                    let plane = x + (first + img) * h * wd
                    for i in 0..<oh {
                        for j in 0..<ow {
                            let c = cols.data + ((img * oh + i) * ow + j) * taps
                            for ki in 0..<kh {
                                let y = i * s + ki - top
                                for kj in 0..<kw {
                                    let xx = j * s + kj - left
                                    c[ki * kw + kj] = y >= 0 && y < h && xx >= 0 && xx < wd ? plane[y * wd + xx] : 0
                                }
                            }
                        }
                    }
                }
                let rows = count * outPixels, grads = dy + first * outPixels * o
                let out = partial.data + block * (taps + 1) * o
                cblas_sgemm(
                    CblasRowMajor, CblasTrans, CblasNoTrans, Int32(taps), Int32(o), Int32(rows),
                    1, cols.data, Int32(taps), grads, Int32(o), 0, out, Int32(o))
                let bias = out + taps * o
                bias.update(repeating: 0, count: o)
                for p in 0..<rows { for k in 0..<o { bias[k] += grads[p * o + k] } }
            }
        }
        dw.update(from: partial.data, count: taps * o)
        db.update(from: partial.data + taps * o, count: o)
        for block in 1..<max(blocks, 1) {
            let src = partial.data + block * (taps + 1) * o
            for k in 0..<(taps * o) { dw[k] += src[k] }
            for k in 0..<o { db[k] += src[taps * o + k] }
        }
    }
}
