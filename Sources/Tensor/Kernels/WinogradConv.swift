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
        precondition(g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1, "Winograd F(4x4,3x3) needs a 3x3 stride-1 conv, not \(g)")
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

    /// y = A^T (V · U) A + b, cropped to the output image.
    func forward(v: Tensor, u: Tensor, b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let (c, k, t) = (geometry.inChannels, geometry.outChannels, tiles)
        let m = Tensor(shape: [36, t, k], uninitialized: true)
        Self.pointGEMMs(rows: t, cols: k, inner: c, a: v.data, transA: false, b: u.data, transB: false, c: m.data)
        let md = m.data
        Parallel.forRanges(t, grain: max(1, 8192 / k)) { range in
            let half = Scratch(24 * k), tile4 = Scratch(16 * k)
            for tile in range {
                for j in 0..<6 { Transform.at(md + (j * t + tile) * k, 6 * t * k, half.p + j * k, 6 * k, k) }
                for a in 0..<4 { Transform.at(half.p + a * 6 * k, k, tile4.p + a * 4 * k, k, k) }
                writeTile(tile4.p, tile: tile, bias: b, into: y)
            }
        }
    }

    // MARK: Backward

    /// dM [36, T, K] = A dY A^T per tile.
    func transformOutputGradient(_ dy: UnsafeMutablePointer<Float>) -> Tensor {
        let k = geometry.outChannels, t = tiles
        let dm = Tensor(shape: [36, t, k], uninitialized: true)
        let dmd = dm.data
        Parallel.forRanges(t, grain: max(1, 8192 / k)) { range in
            let tile4 = Scratch(16 * k), half = Scratch(24 * k)
            for tile in range {
                gatherTile(dy, tile: tile, into: tile4.p)
                for b in 0..<4 { Transform.a(tile4.p + b * k, 4 * k, half.p + b * k, 4 * k, k) }
                for i in 0..<6 { Transform.a(half.p + i * 4 * k, k, dmd + (i * 6 * t + tile) * k, t * k, k) }
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

    /// dw = G^T (V^T · dM) G (HWIO) and db = sum of dy, overwriting both.
    func backwardWeights(v: Tensor, dm: Tensor, dy: UnsafeMutablePointer<Float>,
                         dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>) {
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
        // Summed in double: a bias gradient is often a small difference of many larger terms.
        var sums = [Double](repeating: 0, count: k)
        for p in 0..<(g.batch * g.height * g.width) { let row = dy + p * k; for o in 0..<k { sums[o] += Double(row[o]) } }
        for o in 0..<k { db[o] = Float(sums[o]) }
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
        for i in 0..<6 { for j in 0..<6 {
            let (r, s) = (r0 + i, c0 + j), dst = patch + (i * 6 + j) * c
            if r >= 0 && r < h && s >= 0 && s < w { dst.update(from: x + ((n * h + r) * w + s) * c, count: c) }
            else { dst.update(repeating: 0, count: c) }
        } }
    }

    /// Adds a [36, C] window into dx where it lies inside the image.
    private func addPatch(_ patch: UnsafeMutablePointer<Float>, tile: Int, into dx: UnsafeMutablePointer<Float>) {
        let (n, r0, c0) = origin(tile), (h, w, c) = (g.height, g.width, g.inChannels)
        for i in 0..<6 where r0 + i >= 0 && r0 + i < h { for j in 0..<6 where c0 + j >= 0 && c0 + j < w {
            let dst = dx + ((n * h + r0 + i) * w + c0 + j) * c, src = patch + (i * 6 + j) * c
            for o in 0..<c { dst[o] += src[o] }
        } }
    }

    /// The 4x4 output tile of an output-shaped tensor, zero outside the image: [16, K].
    private func gatherTile(_ y: UnsafeMutablePointer<Float>, tile: Int, into tile4: UnsafeMutablePointer<Float>) {
        let (n, r0, c0) = origin(tile), (h, w, k) = (g.height, g.width, g.outChannels)
        for a in 0..<4 { for b in 0..<4 {
            let (r, s) = (r0 + 1 + a, c0 + 1 + b), dst = tile4 + (a * 4 + b) * k
            if r < h && s < w { dst.update(from: y + ((n * h + r) * w + s) * k, count: k) }
            else { dst.update(repeating: 0, count: k) }
        } }
    }

    /// Writes the pixels of a [16, K] tile that lie inside the image into y, plus the bias.
    private func writeTile(_ tile4: UnsafeMutablePointer<Float>, tile: Int, bias: UnsafeMutablePointer<Float>,
                           into y: UnsafeMutablePointer<Float>) {
        let (n, r0, c0) = origin(tile), (h, w, k) = (g.height, g.width, g.outChannels)
        for a in 0..<4 where r0 + 1 + a < h { for b in 0..<4 where c0 + 1 + b < w {
            let dst = y + ((n * h + r0 + 1 + a) * w + c0 + 1 + b) * k, src = tile4 + (a * 4 + b) * k
            for o in 0..<k { dst[o] = src[o] + bias[o] }
        } }
    }

    // MARK: GEMMs

    /// For each of the 36 points: C[ξ] (rows x cols) = op(A[ξ]) · op(B[ξ]), inner dimension `inner`,
    /// all row-major and packed. One single-threaded OpenBLAS sgemm per point, the points split
    /// across the threads: as fast as oneDNN's threaded sgemm in a C loop (measured), and unlike
    /// it no OpenMP workers left spinning through the transforms that follow. Each point is
    /// computed whole by one thread, so the result does not depend on the thread count.
    static func pointGEMMs(rows: Int, cols: Int, inner: Int,
                           a: UnsafeMutablePointer<Float>, transA: Bool,
                           b: UnsafeMutablePointer<Float>, transB: Bool, c: UnsafeMutablePointer<Float>) {
        let lda = transA ? rows : inner, ldb = transB ? inner : cols
        Parallel.forRanges(36, grain: 1) { points in
            for p in points {
                cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
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
