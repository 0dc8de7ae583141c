import CBLAS

/// The backward passes of convolutions with one input channel (the discriminator's first 7x7/2
/// 1->128 layer), as GEMMs over patches. oneDNN's kernels run these at a fifth of the sgemm rate
/// (one input channel leaves them nothing to vectorise over); written as products of a patch
/// matrix they are ordinary GEMMs. With T = kh*kw taps, P output pixels and K output channels, and
/// X[p, t] the input pixel that tap t of output pixel p reads (0 in the padding):
///
///     backward data:     C[p, t]  = sum_k dY[p, k] * W[t, k]      (sgemm P x K x T)
///                        dx[pixel read by (p, t)] += C[p, t]      (col2im)
///     backward weights:  dW[t, k] = sum_p X[p, t] * dY[p, k]      (im2col, then sgemm T x P x K)
///                        db[k]    = sum_p dY[p, k]
///
/// Work is cut into fixed blocks of images, each a single-threaded sgemm, spread over the threads;
/// the weight gradient sums the blocks' partial products in block order. The blocks do not depend
/// on the thread count, so neither do the results.
enum SingleInputConv {
    static func applies(to g: ConvGeometry) -> Bool { g.inChannels == 1 && g.outChannels >= 8 }

    /// Images per block: enough rows for an efficient sgemm, small enough to share out.
    static let imagesPerBlock = 8

    /// For output pixel (oy, ox) of one image and tap t = ky*kw + kx, the input pixel it reads,
    /// or -1 where that lies in the padding. Row-major over (oy, ox, t).
    static func patchIndex(_ g: ConvGeometry) -> [Int32] {
        let (oh, ow, kh, kw) = (g.outHeight, g.outWidth, g.kernelHeight, g.kernelWidth)
        var index = [Int32](repeating: -1, count: oh * ow * kh * kw)
        for oy in 0..<oh { for ox in 0..<ow { for ky in 0..<kh { for kx in 0..<kw {
            let iy = oy * g.stride + ky - g.padH.before, ix = ox * g.stride + kx - g.padW.before
            if iy >= 0 && iy < g.height && ix >= 0 && ix < g.width {
                index[((oy * ow + ox) * kh + ky) * kw + kx] = Int32(iy * g.width + ix)
            }
        } } } }
        return index
    }

    /// Blocks of images: (first image, count).
    static func blocks(_ g: ConvGeometry) -> [(first: Int, count: Int)] {
        stride(from: 0, to: g.batch, by: imagesPerBlock).map { ($0, min(imagesPerBlock, g.batch - $0)) }
    }

    /// Run `body` on every block, spread over the threads.
    static func forBlocks(_ g: ConvGeometry, _ body: (_ first: Int, _ count: Int, _ block: Int) -> Void) {
        let all = blocks(g)
        Parallel.forRanges(all.count, grain: 1) { range in
            for b in range { body(all[b].first, all[b].count, b) }
        }
    }

    /// dx (overwritten) from dy and the HWIO kernel w ([T, K]).
    static func backwardData(_ g: ConvGeometry, index: [Int32], dy: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>,
                             dx: UnsafeMutablePointer<Float>) {
        let taps = g.kernelHeight * g.kernelWidth, k = g.outChannels
        let outPixels = g.outHeight * g.outWidth, inPixels = g.height * g.width
        index.withUnsafeBufferPointer { index in
            forBlocks(g) { first, count, _ in
                let cols = Tensor(shape: [count * outPixels, taps], uninitialized: true)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count * outPixels), Int32(taps), Int32(k),
                            1, dy + first * outPixels * k, Int32(k), w, Int32(k), 0, cols.data, Int32(taps))
                let out = dx + first * inPixels
                out.update(repeating: 0, count: count * inPixels)
                for image in 0..<count {
                    let c = cols.data + image * outPixels * taps, o = out + image * inPixels
                    for j in 0..<(outPixels * taps) where index[j] >= 0 { o[Int(index[j])] += c[j] }
                }
            }
        }
    }

    /// dw ([T, K], overwritten) and db from x and dy.
    static func backwardWeights(_ g: ConvGeometry, index: [Int32], x: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>,
                                dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>) {
        let taps = g.kernelHeight * g.kernelWidth, k = g.outChannels
        let outPixels = g.outHeight * g.outWidth, inPixels = g.height * g.width
        let blockCount = blocks(g).count
        let partial = Tensor(shape: [blockCount, taps, k], uninitialized: true)
        index.withUnsafeBufferPointer { index in
            forBlocks(g) { first, count, block in
                let cols = Tensor(shape: [count * outPixels, taps], uninitialized: true)
                for image in 0..<count {
                    let c = cols.data + image * outPixels * taps, src = x + (first + image) * inPixels
                    for j in 0..<(outPixels * taps) { c[j] = index[j] >= 0 ? src[Int(index[j])] : 0 }
                }
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(taps), Int32(k), Int32(count * outPixels),
                            1, cols.data, Int32(taps), dy + first * outPixels * k, Int32(k), 0, partial.data + block * taps * k, Int32(k))
            }
        }
        dw.update(from: partial.data, count: taps * k)
        for b in 1..<max(blockCount, 1) {
            let p = partial.data + b * taps * k
            for i in 0..<(taps * k) { dw[i] += p[i] }
        }
        var sums = [Double](repeating: 0, count: k)
        for p in 0..<(g.batch * outPixels) { for c in 0..<k { sums[c] += Double(dy[p * k + c]) } }
        for c in 0..<k { db[c] = Float(sums[c]) }
    }
}
