import CBLAS

/// Stride-1 3x3 'same' convolutions by Winograd's minimal filtering F(4x4, 3x3) (Lavin & Gray,
/// "Fast Algorithms for Convolutional Neural Networks", 2015). A 4x4 tile of outputs is computed
/// from the 6x6 tile of inputs around it as
///
///     Y = A^T [ sum_c (G g_c G^T) ⊙ (B^T d_c B) ] A
///
/// so the 16·9 multiply-adds per tile, input and output channel become 36, and all of them fall
/// into 36 independent GEMMs, one per point ξ of the 6x6 transform domain:
///
///     U[ξ] (C x K)  = (G g G^T)[ξ]        the kernel, per input channel c and output channel k
///     V[ξ] (T x C)  = (B^T d B)[ξ]        the input, per tile t and channel c
///     M[ξ] (T x K)  = V[ξ] · U[ξ]
///     y(tile)       = A^T M A + b         cropped to the image
///
/// The backward passes run the transposes of the same linear maps, so they are exact gradients of
/// the forward (and, in exact arithmetic, of the convolution):
///
///     dM = A dY A^T          (dY zero outside the image)
///     dV[ξ] = dM[ξ] · U[ξ]^T,    dx = sum over tiles of B dV B^T   (neighbouring tiles overlap by 2)
///     dU[ξ] = V[ξ]^T · dM[ξ],    dw = G^T dU G,   db = sum of dY
///
/// The output is written, and dY read, through a `ConvOutput`, so that an activation after the
/// convolution (and an upsampling, or the folded phases' interleave) costs no pass of its own.
///
/// On the decoder's 3x3 convolutions on 7x7 and 14x14 images this does 3.1x fewer multiply-adds
/// than direct convolution (the 7x7 image is covered by 8x8 of tiles). The transforms' constants
/// are small (at most 8 and 1/24); measured against the float64 reference the results differ by
/// ~1e-6 relative, where direct float32 convolution differs by ~1e-7.
final class WinogradConv {
    let geometry: ConvGeometry
    private var g: ConvGeometry { geometry }  // short, for the index arithmetic
    let tilesHigh: Int, tilesWide: Int
    /// Tiles over the whole batch: the rows of every GEMM.
    let tiles: Int

    /// 3x3, stride 1 (so 'same' pads one pixel on each side), with enough channels on both sides
    /// for the GEMMs to pay (the networks' one-channel inputs stay on oneDNN).
    static func applies(to g: ConvGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.inChannels >= 16 && g.outChannels >= 16
    }

    init(_ g: ConvGeometry) {
        precondition(
            g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1,
            "Winograd F(4x4,3x3) needs a 3x3 stride-1 conv, not \(g)")
        geometry = g
        tilesHigh = (g.height + 3) / 4
        tilesWide = (g.width + 3) / 4
        tiles = g.batch * tilesHigh * tilesWide
    }

    // MARK: Forward

    /// U [36, C, K] from the HWIO kernel w [3, 3, C, K].
    func transformKernel(_ w: UnsafeMutablePointer<Float>) -> Tensor {
        let (c, k) = (geometry.inChannels, geometry.outChannels)
        let u = Tensor(shape: [36, c, k], uninitialized: true)
        let ud = u.data
        Parallel.forRanges(c, grain: max(1, 4096 / k)) { channels in
            let rows = Scratch(18 * k)  // G g: 6 x 3 rows of K
            for ci in channels {
                for s in 0..<3 { Transform.g(w + (s * c + ci) * k, 3 * c * k, rows.p + s * k, 3 * k, k) }
                for i in 0..<6 { Transform.g(rows.p + i * 3 * k, k, ud + (i * 6 * c + ci) * k, c * k, k) }
            }
        }
        return u
    }

    /// V [36, T, C] from the NHWC input x.
    func transformInput(_ x: UnsafeMutablePointer<Float>) -> Tensor {
        let c = geometry.inChannels, t = tiles
        let v = Tensor(shape: [36, t, c], uninitialized: true)
        let vd = v.data
        Parallel.forRanges(t, grain: max(1, 8192 / c)) { range in
            let patch = Scratch(36 * c), rows = Scratch(36 * c)
            for tile in range {
                gatherPatch(x, tile: tile, into: patch.p)
                for s in 0..<6 { Transform.bt(patch.p + s * c, 6 * c, rows.p + s * c, 6 * c, c) }
                for i in 0..<6 { Transform.bt(rows.p + i * 6 * c, c, vd + (i * 6 * t + tile) * c, t * c, c) }
            }
        }
        return v
    }

    /// y = A^T (V · U) A + b, cropped to the output image, each pixel stored by `output`.
    func forward<O: ConvOutput>(v: Tensor, u: Tensor, b: UnsafeMutablePointer<Float>, output: O) {
        let (c, k, t) = (geometry.inChannels, geometry.outChannels, tiles)
        let m = Tensor(shape: [36, t, k], uninitialized: true)
        Self.pointGEMMs(rows: t, cols: k, inner: c, a: v.data, transA: false, b: u.data, transB: false, c: m.data)
        let md = m.data
        Parallel.forRanges(t, grain: max(1, 8192 / k)) { range in
            let half = Scratch(24 * k), tile4 = Scratch(16 * k)
            for tile in range {
                for j in 0..<6 { Transform.at(md + (j * t + tile) * k, 6 * t * k, half.p + j * k, 6 * k, k) }
                for a in 0..<4 { Transform.at(half.p + a * 6 * k, k, tile4.p + a * 4 * k, k, k) }
                forEachPixel(of: tile) { n, r, col, i in output.store(tile4.p + i * k, bias: b, n: n, r: r, c: col) }
            }
        }
    }

    // MARK: Backward

    /// dM [36, T, K] = A dY A^T per tile, dY read through `output`, and, if asked, the bias
    /// gradient db = sum of dY (summed in double per image, then over the images in order: a bias
    /// gradient is often a small difference of many larger terms).
    func transformOutputGradient<O: ConvOutput>(_ output: O, biasGradient db: UnsafeMutablePointer<Float>?) -> Tensor {
        let k = geometry.outChannels, t = tiles, perImage = tilesHigh * tilesWide
        let dm = Tensor(shape: [36, t, k], uninitialized: true)
        let dmd = dm.data
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: g.batch * k)
        defer { sums.deallocate() }
        Parallel.forRanges(g.batch, grain: max(1, 2048 / (k * perImage))) { images in
            let tile4 = Scratch(16 * k), half = Scratch(24 * k)
            for n in images {
                let sum = sums + n * k
                sum.update(repeating: 0, count: k)
                for tile in (n * perImage)..<((n + 1) * perImage) {
                    tile4.p.update(repeating: 0, count: 16 * k)
                    forEachPixel(of: tile) { n, r, col, i in
                        let d = tile4.p + i * k
                        output.gradient(into: d, n: n, r: r, c: col)
                        for o in 0..<k { sum[o] += Double(d[o]) }
                    }
                    for b in 0..<4 { Transform.a(tile4.p + b * k, 4 * k, half.p + b * k, 4 * k, k) }
                    for i in 0..<6 { Transform.a(half.p + i * 4 * k, k, dmd + (i * 6 * t + tile) * k, t * k, k) }
                }
            }
        }
        if let db {
            for o in 0..<k {
                var total = 0.0
                for n in 0..<g.batch { total += sums[n * k + o] }
                db[o] = Float(total)
            }
        }
        return dm
    }

    /// dx = sum over tiles of B (dM · U^T) B^T, overwriting dx.
    func backwardData(dm: Tensor, u: Tensor, dx: UnsafeMutablePointer<Float>) {
        let (c, k, t) = (geometry.inChannels, geometry.outChannels, tiles)
        let dv = Tensor(shape: [36, t, c], uninitialized: true)
        Self.pointGEMMs(rows: t, cols: c, inner: k, a: dm.data, transA: false, b: u.data, transB: true, c: dv.data)
        let dvd = dv.data, g = geometry, perImage = tilesHigh * tilesWide
        // Neighbouring tiles overlap, so an image's tiles are summed by one thread.
        Parallel.forRanges(g.batch, grain: 1) { images in
            let rows = Scratch(36 * c), patch = Scratch(36 * c)
            for n in images {
                (dx + n * g.height * g.width * c).update(repeating: 0, count: g.height * g.width * c)
                for tile in (n * perImage)..<((n + 1) * perImage) {
                    for j in 0..<6 { Transform.b(dvd + (j * t + tile) * c, 6 * t * c, rows.p + j * c, 6 * c, c) }
                    for r in 0..<6 { Transform.b(rows.p + r * 6 * c, c, patch.p + r * 6 * c, c, c) }
                    addPatch(patch.p, tile: tile, into: dx)
                }
            }
        }
    }

    /// dw = G^T (V^T · dM) G (HWIO), overwriting dw.
    func backwardWeights(v: Tensor, dm: Tensor, dw: UnsafeMutablePointer<Float>) {
        let (c, k, t) = (geometry.inChannels, geometry.outChannels, tiles)
        let du = Tensor(shape: [36, c, k], uninitialized: true)
        Self.pointGEMMs(rows: c, cols: k, inner: t, a: v.data, transA: true, b: dm.data, transB: false, c: du.data)
        let dud = du.data
        Parallel.forRanges(c, grain: max(1, 4096 / k)) { channels in
            let rows = Scratch(18 * k)
            for ci in channels {
                for j in 0..<6 { Transform.gt(dud + (j * c + ci) * k, 6 * c * k, rows.p + j * k, 6 * k, k) }
                for r in 0..<3 { Transform.gt(rows.p + r * 6 * k, k, dw + (r * 3 * c + ci) * k, c * k, k) }
            }
        }
    }

    // MARK: Tiles

    /// Tile index -> (image, first input row, first input column) of its 6x6 input window.
    @inline(__always) private func origin(_ tile: Int) -> (n: Int, row: Int, col: Int) {
        let perImage = tilesHigh * tilesWide
        let n = tile / perImage, r = tile % perImage
        return (n, (r / tilesWide) * 4 - 1, (r % tilesWide) * 4 - 1)
    }

    /// The 6x6 window of x around a tile, zero outside the image: [36, C].
    private func gatherPatch(_ x: UnsafeMutablePointer<Float>, tile: Int, into patch: UnsafeMutablePointer<Float>) {
        let (n, r0, c0) = origin(tile), (h, w, c) = (g.height, g.width, g.inChannels)
        for i in 0..<6 {
            for j in 0..<6 {
                let (r, s) = (r0 + i, c0 + j), dst = patch + (i * 6 + j) * c
                if r >= 0 && r < h && s >= 0 && s < w {
                    dst.update(from: x + ((n * h + r) * w + s) * c, count: c)
                } else {
                    dst.update(repeating: 0, count: c)
                }
            }
        }
    }

    /// Adds a [36, C] window into dx where it lies inside the image.
    private func addPatch(_ patch: UnsafeMutablePointer<Float>, tile: Int, into dx: UnsafeMutablePointer<Float>) {
        let (n, r0, c0) = origin(tile), (h, w, c) = (g.height, g.width, g.inChannels)
        for i in 0..<6 where r0 + i >= 0 && r0 + i < h {
            for j in 0..<6 where c0 + j >= 0 && c0 + j < w {
                let dst = dx + ((n * h + r0 + i) * w + c0 + j) * c, src = patch + (i * 6 + j) * c
                for o in 0..<c { dst[o] += src[o] }
            }
        }
    }

    /// Calls `body(n, r, c, i)` for each pixel i = 4a + b of a 4x4 output tile that lies inside
    /// the image, (r, c) its place in image n.
    @inline(__always)
    private func forEachPixel(of tile: Int, _ body: (_ n: Int, _ r: Int, _ c: Int, _ i: Int) -> Void) {
        let (n, r0, c0) = origin(tile)
        for a in 0..<4 where r0 + 1 + a < g.height {
            for b in 0..<4 where c0 + 1 + b < g.width {
                body(n, r0 + 1 + a, c0 + 1 + b, a * 4 + b)
            }
        }
    }

    // MARK: GEMMs

    /// For each of the 36 points: C[ξ] (rows x cols) = op(A[ξ]) · op(B[ξ]), inner dimension `inner`,
    /// all row-major and packed. One single-threaded OpenBLAS sgemm per point, the points split
    /// across the threads: as fast as oneDNN's threaded sgemm in a C loop (measured), and unlike
    /// it no OpenMP workers left spinning through the transforms that follow. Each point is
    /// computed whole by one thread, so the result does not depend on the thread count.
    static func pointGEMMs(
        rows: Int, cols: Int, inner: Int,
        a: UnsafeMutablePointer<Float>, transA: Bool,
        b: UnsafeMutablePointer<Float>, transB: Bool, c: UnsafeMutablePointer<Float>
    ) {
        let lda = transA ? rows : inner, ldb = transB ? inner : cols
        Parallel.forRanges(36, grain: 1) { points in
            for p in points {
                cblas_sgemm(
                    CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(rows), Int32(cols), Int32(inner), 1, a + p * rows * inner, Int32(lda),
                    b + p * inner * cols, Int32(ldb), 0, c + p * rows * cols, Int32(cols))
            }
        }
    }
}

/// A per-thread scratch buffer.
private final class Scratch {
    let p: UnsafeMutablePointer<Float>
    init(_ n: Int) { p = .allocate(capacity: n) }
    deinit { p.deallocate() }
}
