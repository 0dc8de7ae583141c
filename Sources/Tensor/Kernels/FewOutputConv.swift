import CBLAS

/// Stride-1 'same' convolutions with few output channels (the decoder's last 5x5 layer, which
/// draws 1 channel for grey images and 3 for colour), forward and backward-weights, as one GEMM
/// plus a gather. oneDNN's kernels reach only ~8-14 GFLOPS on the one-output shape (measured),
/// where the GEMM runs near peak; on the three-output one (5x5 32->3 at 32x32, batch 128, two
/// shared cores) forward 58-86 ms and weight gradient 68-100 ms, against 27-38 and 25-39 here.
/// With taps t, pixels p, input channels c and outputs k:
///
///     Z[(t, k), p]  = sum_c w[t, c, k] * x[p, c]           (one sgemm, TK x C x P)
///     y[q, k]       = b[k] + sum_t Z[(t, k), q + offset(t)] (taps whose input lies inside the image)
///
/// and for the kernel's gradient, with the roles turned around, for each output k:
///
///     D_k[t, p]     = dy[p - offset(t), k]                  (zero where that output is outside)
///     dW[t, c, k]   = sum_p D_k[t, p] * x[p, c]             (one sgemm per k, T x P x C)
///
/// The gathers run on one plane per output, in rows of pixels, so that they vectorise; with one
/// output the planes are y and dy themselves.
enum FewOutputConv {
    /// The most output channels these kernels take: a colour image's three.
    static let maxOutputChannels = 3

    static func applies(to g: ConvGeometry) -> Bool { g.outChannels <= maxOutputChannels && g.stride == 1 }

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

    /// Images per GEMM: the tap planes of a block stay in cache (25 x 4 x 784 floats: 314 KB for
    /// one grey output) between the sgemm that writes them and the adds that read them.
    static let blockImages = 4

    /// `body(images, g)` on blocks of `blockImages` images, each thread taking its share of blocks;
    /// `g` is the geometry of the block, with one output (each output's planes are gathered alike).
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
        let k = g.outChannels
        // The kernel as [(t, k), c]: HWIO is [t, c, k], which with one output already is.
        let wt = Tensor(shape: [taps * k, c], uninitialized: true)
        for t in 0..<taps {
            for ci in 0..<c { for o in 0..<k { wt.data[(t * k + o) * c + ci] = w[(t * c + ci) * k + o] } }
        }
        blocks(g) { images, block in
            let pixels = block.batch * plane
            let (x, y) = (x + images.lowerBound * plane * c, y + images.lowerBound * plane * k)
            // Z[(t, k), p] = sum_c w[t, c, k] x[p, c]: one plane per tap and output.
            let z = Tensor(shape: [taps * k, pixels], uninitialized: true)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(taps * k), Int32(pixels), Int32(c),
                1, wt.data, Int32(c), x, Int32(c), 0, z.data, Int32(pixels))
            if k == 1 {
                y.update(repeating: b[0], count: pixels)
                shiftAdd(block, planes: z.data, into: y, planeStride: pixels, sign: 1, perTap: true)
                return
            }
            // Each output's plane gathered on its own (its taps' planes lie k planes apart), then
            // interleaved into y's pixels.
            let planes = Tensor(shape: [k, pixels], uninitialized: true)
            for o in 0..<k {
                let out = planes.data + o * pixels
                out.update(repeating: b[o], count: pixels)
                shiftAdd(block, planes: z.data + o * pixels, into: out, planeStride: k * pixels, sign: 1, perTap: true)
            }
            for p in 0..<pixels { for o in 0..<k { y[p * k + o] = planes.data[o * pixels + p] } }
        }
    }

    /// Each block's kernel gradient goes into its own slot, and the slots are summed in block
    /// order: the same sums whatever the thread count.
    static func backwardWeights(
        _ g: ConvGeometry, x: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>,
        dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>
    ) {
        let taps = g.kernelHeight * g.kernelWidth, plane = g.height * g.width, c = g.inChannels
        let k = g.outChannels
        let blockCount = (g.batch + blockImages - 1) / blockImages
        // Per block: dW as [k, t, c] (with one output, HWIO itself).
        let partial = Tensor(shape: [blockCount, k * taps * c], uninitialized: true)
        blocks(g) { images, block in
            let pixels = block.batch * plane
            let (x, dy) = (x + images.lowerBound * plane * c, dy + images.lowerBound * plane * k)
            let slot = partial.data + images.lowerBound / blockImages * k * taps * c
            // Output o's gradient as a plane (dy itself with one output).
            let grads = k == 1 ? nil : Tensor(shape: [pixels], uninitialized: true)
            for o in 0..<k {
                if let grads { for p in 0..<pixels { grads.data[p] = dy[p * k + o] } }
                // D_o[t, q] = dy(q - offset(t), o): the output that read input pixel q at tap t (0 if none).
                let d = Tensor(shape: [taps, pixels])
                shiftAdd(block, planes: grads?.data ?? dy, into: d.data, planeStride: pixels, sign: -1, perTap: false)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(taps), Int32(c), Int32(pixels),
                    1, d.data, Int32(pixels), x, Int32(c), 0, slot + o * taps * c, Int32(c))
            }
        }
        for i in 0..<(taps * c) {
            for o in 0..<k {
                var sum = partial.data[o * taps * c + i]
                for block in 1..<max(blockCount, 1) { sum += partial.data[(block * k + o) * taps * c + i] }
                dw[i * k + o] = sum
            }
        }
        for o in 0..<k {
            var sum: Double = 0
            for p in 0..<(g.batch * plane) { sum += Double(dy[p * k + o]) }
            db[o] = Float(sum)
        }
    }
}
