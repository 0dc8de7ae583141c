import CBLAS

/// The data gradient of 'same' convolutions with one input channel (the encoder's and the
/// discriminator's first layers), as one sgemm and a scatter (col2im). oneDNN's backward-data
/// kernel reaches only 10-15 GFLOPS on these shapes (measured: the discriminator's 7x7/2 1->128
/// at batch 192, 31 ms), where the GEMM runs near peak:
///
///     C[p, t] = sum_o dy[p, o] * w[t, o]        (output pixels p, taps t: one sgemm, P x O x T;
///                                                HWIO with one input channel is [taps, o])
///     dx[q]   = sum of C[p, t] over the (p, t) that read input pixel q      (col2im)
///
/// Images are independent, so each thread takes whole images: its own sgemm (OpenBLAS runs on one
/// thread, `Threads`) and its own scatter.
enum SingleInputConv {
    static func applies(to g: ConvGeometry) -> Bool { g.inChannels == 1 }

    static func backwardData(_ g: ConvGeometry, dy: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>,
                             dx: UnsafeMutablePointer<Float>) {
        let (oh, ow, o) = (g.outHeight, g.outWidth, g.outChannels)
        let (kh, kw, taps) = (g.kernelHeight, g.kernelWidth, g.kernelHeight * g.kernelWidth)
        let (h, wd, s) = (g.height, g.width, g.stride)
        let (top, left) = (g.padH.before, g.padW.before)
        let outPixels = oh * ow
        Parallel.forRanges(g.batch, grain: 1) { images in
            let count = images.count
            let cols = Tensor(shape: [count * outPixels, taps], uninitialized: true)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count * outPixels), Int32(taps), Int32(o),
                        1, dy + images.lowerBound * outPixels * o, Int32(o), w, Int32(o), 0, cols.data, Int32(taps))
            let out = dx + images.lowerBound * h * wd
            out.update(repeating: 0, count: count * h * wd)
            for img in 0..<count {
                let plane = out + img * h * wd
                for i in 0..<oh { for j in 0..<ow {
                    let c = cols.data + ((img * oh + i) * ow + j) * taps
                    for ki in 0..<kh {
                        let y = i * s + ki - top
                        guard y >= 0 && y < h else { continue }
                        for kj in 0..<kw {
                            let x = j * s + kj - left
                            if x >= 0 && x < wd { plane[y * wd + x] += c[ki * kw + kj] }
                        }
                    }
                } }
            }
        }
    }
}
