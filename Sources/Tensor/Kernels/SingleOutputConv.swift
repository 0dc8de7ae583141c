import CBLAS

/// Stride-1 'same' convolutions with one output channel (the decoder's last 5x5 32->1 layer),
/// forward and backward-weights, as one GEMM plus a gather. oneDNN's kernels reach only ~8-14
/// GFLOPS on these shapes (measured), where the GEMM runs near peak:
///
///     Z[t, p]  = sum_c w[t, c] * x[p, c]         (taps t, pixels p: one sgemm, T x C x P)
///     y[q]     = b + sum_t Z[t, q + offset(t)]   (taps whose input lies inside the image)
///
/// and for the kernel's gradient, with the roles turned around:
///
///     D[t, p]  = dy[p - offset(t)]               (zero where that output is outside)
///     dW[t, c] = sum_p D[t, p] * x[p, c]         (one sgemm, T x P x C)
enum SingleOutputConv {
    static func applies(to g: ConvGeometry) -> Bool { g.outChannels == 1 && g.stride == 1 }

    /// Taps in kernel order, each as the offset (di, dj) of the input pixel it reads:
    /// output (i, j) reads input (i + di, j + dj) at tap t.
    static func offsets(_ g: ConvGeometry) -> [(di: Int, dj: Int)] {
        (0..<g.kernelHeight).flatMap { ki in (0..<g.kernelWidth).map { kj in (ki - g.padH.before, kj - g.padW.before) }
        }
    }

    /// Adds, for every image and every tap, the plane `src[t]` shifted by the tap's offset into
    /// `dst` (sign +1: dst(i, j) += src(i + di, j + dj); sign -1: dst(i, j) += src(i - di, j - dj)),
    /// skipping pixels whose source lies outside the image. Contiguous rows, so the adds vectorise.
    static func shiftAdd(
        _ g: ConvGeometry, planes src: UnsafeMutablePointer<Float>, into dst: UnsafeMutablePointer<Float>,
        planeStride: Int, sign: Int, perTap: Bool
    ) {
        let (n, h, w) = (g.batch, g.height, g.width)
        let offsets = offsets(g)
        Parallel.forRanges(n, grain: 1) { images in
            for img in images {
                for (t, o) in offsets.enumerated() {
                    let (di, dj) = (sign * o.di, sign * o.dj)
                    let jlo = max(0, -dj), jhi = min(w, w - dj)
                    guard jlo < jhi else { continue }
                    for i in 0..<h where i + di >= 0 && i + di < h {
                        let from = src + (perTap ? t * planeStride : 0) + (img * h + i + di) * w + dj
                        let to = dst + (perTap ? 0 : t * planeStride) + (img * h + i) * w
                        for j in jlo..<jhi { to[j] += from[j] }
                    }
                }
            }
        }
    }

    /// Images per GEMM: the tap planes of a block stay in cache (25 x 4 x 784 floats: 314 KB)
    /// between the sgemm that writes them and the adds that read them.
    static let blockImages = 4

    /// `body(images, g)` on blocks of `blockImages` images, each thread taking its share of blocks;
    /// `g` is the geometry of the block.
    static func blocks(_ g: ConvGeometry, _ body: (Range<Int>, ConvGeometry) -> Void) {
        let count = (g.batch + blockImages - 1) / blockImages
        Parallel.forRanges(count, grain: 1) { range in
            for k in range {
                let images = (k * blockImages)..<min(g.batch, (k + 1) * blockImages)
                body(
                    images,
                    ConvGeometry(
                        batch: images.count, height: g.height, width: g.width, inChannels: g.inChannels,
                        kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth, outChannels: 1, stride: 1))
            }
        }
    }

    static func forward(
        _ g: ConvGeometry, x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>,
        b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        let taps = g.kernelHeight * g.kernelWidth, plane = g.height * g.width, c = g.inChannels
        blocks(g) { images, block in
            let pixels = block.batch * plane
            let (x, y) = (x + images.lowerBound * plane * c, y + images.lowerBound * plane)
            // Z^T[t, p] = sum_c w[t, c] x[p, c]: one plane per tap (HWIO with one output is [taps, c]).
            let zt = Tensor(shape: [taps, pixels], uninitialized: true)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(taps), Int32(pixels), Int32(c),
                1, w, Int32(c), x, Int32(c), 0, zt.data, Int32(pixels))
            y.update(repeating: b[0], count: pixels)
            shiftAdd(block, planes: zt.data, into: y, planeStride: pixels, sign: 1, perTap: true)
        }
    }

    /// Each block's kernel gradient goes into its own slot, and the slots are summed in block
    /// order: the same sums whatever the thread count.
    static func backwardWeights(
        _ g: ConvGeometry, x: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>,
        dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>
    ) {
        let taps = g.kernelHeight * g.kernelWidth, plane = g.height * g.width, c = g.inChannels
        let blockCount = (g.batch + blockImages - 1) / blockImages
        let partial = Tensor(shape: [blockCount, taps * c], uninitialized: true)
        blocks(g) { images, block in
            let pixels = block.batch * plane
            let (x, dy) = (x + images.lowerBound * plane * c, dy + images.lowerBound * plane)
            // D^T[t, q] = dy(q - offset(t)): the output that read input pixel q at tap t (0 if none).
            let dt = Tensor(shape: [taps, pixels])
            shiftAdd(block, planes: dy, into: dt.data, planeStride: pixels, sign: -1, perTap: false)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(taps), Int32(c), Int32(pixels),
                1, dt.data, Int32(pixels), x, Int32(c), 0, partial.data + images.lowerBound / blockImages * taps * c,
                Int32(c))
        }
        dw.update(from: partial.data, count: taps * c)
        for k in 1..<max(blockCount, 1) {
            let p = partial.data + k * taps * c
            for i in 0..<(taps * c) { dw[i] += p[i] }
        }
        var sum: Double = 0
        for p in 0..<(g.batch * plane) { sum += Double(dy[p]) }
        db[0] = Float(sum)
    }
}
