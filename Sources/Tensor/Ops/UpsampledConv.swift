/// conv2d(upsample2x(x)) without the upsampling: a stride-1 convolution of a nearest-neighbour
/// x2 image reads each source pixel up to four times with different kernel taps, so each of the
/// four output phases (even/odd row, even/odd column) is a smaller convolution of x itself whose
/// kernel sums the taps that land on the same source pixel:
///
///     y[2i+a, 2j+b, o] = sum_{kh,kw,c} w[kh,kw,c,o] * x[i + fh(a,kh), j + fw(b,kw), c]
///                      = sum_{th,tw,c} w'[th,tw,c,(a,b,o)] * x[i + th - lo, j + tw - lo, c]
///     fh(a,kh) = floor((a + kh - pad) / 2),  w'[th,tw,c,(a,b,o)] = sum over kh,kw with fh = th-lo, fw = tw-lo
///
/// The decoder's 5x5 conv on 14x14 becomes one 3x3 conv on 7x7 with 4 x 64 outputs: 2.8 times fewer
/// multiply-adds, the same result up to float rounding of the folded kernel (zero padding maps
/// too: an upsampled row r is outside the image exactly when floor(r/2) is).
struct UpsampledConvPlan {
    /// Folded tap of (phase, original kernel index), per axis.
    let tapH: [[Int]], tapW: [[Int]]
    let foldedHeight: Int, foldedWidth: Int

    /// The plan for a kernel (kh, kw) on an input of (h, w) upsampled to (2h, 2w); nil when the
    /// folded convolution's 'same' padding would not match (then the op runs unfused).
    init?(kernelHeight kh: Int, kernelWidth kw: Int, height: Int, width: Int) {
        func axis(_ k: Int, _ n: Int) -> (taps: [[Int]], size: Int)? {
            let pad = SamePadding(input: 2 * n, kernel: k, stride: 1).before
            func floorHalf(_ v: Int) -> Int { v >= 0 ? v / 2 : -((1 - v) / 2) }
            let offsets = (0..<2).map { a in (0..<k).map { floorHalf(a + $0 - pad) } }
            let lo = offsets.joined().min()!, hi = offsets.joined().max()!
            let size = hi - lo + 1
            let same = SamePadding(input: n, kernel: size, stride: 1)
            guard same.before == -lo, same.after == hi else { return nil }
            return (offsets.map { $0.map { $0 - lo } }, size)
        }
        guard let h = axis(kh, height), let w = axis(kw, width) else { return nil }
        tapH = h.taps; tapW = w.taps; foldedHeight = h.size; foldedWidth = w.size
    }

    /// The folded convolution for an input x [n, h, w, cin] (before upsampling) and `outChannels`
    /// original outputs: a convolution of x itself, with 4 x outChannels outputs (one set per phase).
    func geometry(input x: [Int], outChannels: Int) -> ConvGeometry {
        ConvGeometry(
            batch: x[0], height: x[1], width: x[2], inChannels: x[3],
            kernelHeight: foldedHeight, kernelWidth: foldedWidth, outChannels: 4 * outChannels, stride: 1)
    }

    /// w [kh, kw, cin, cout] -> w' [th, tw, cin, 4 cout], phase p = 2a + b owning outputs p*cout..<(p+1)*cout.
    func fold(_ w: Tensor) -> Tensor {
        let (kh, kw, cin, cout) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let out = Tensor(shape: [foldedHeight, foldedWidth, cin, 4 * cout])
        forEachTap(kh, kw) { r, s, th, tw, phase in
            for c in 0..<cin {
                let src = w.data + ((r * kw + s) * cin + c) * cout
                let dst = out.data + ((th * foldedWidth + tw) * cin + c) * 4 * cout + phase * cout
                for o in 0..<cout { dst[o] += src[o] }
            }
        }
        return out
    }

    /// The transpose of `fold`: dw[kh,kw,c,o] += sum over phases of dw'[tap, tap, c, (phase, o)].
    func unfoldAdd(_ folded: Tensor, into dw: UnsafeMutablePointer<Float>, kernelShape s: [Int]) {
        let (kh, kw, cin, cout) = (s[0], s[1], s[2], s[3])
        forEachTap(kh, kw) { r, q, th, tw, phase in
            for c in 0..<cin {
                let src = folded.data + ((th * foldedWidth + tw) * cin + c) * 4 * cout + phase * cout
                let dst = dw + ((r * kw + q) * cin + c) * cout
                for o in 0..<cout { dst[o] += src[o] }
            }
        }
    }

    private func forEachTap(
        _ kh: Int, _ kw: Int, _ body: (_ r: Int, _ s: Int, _ th: Int, _ tw: Int, _ phase: Int) -> Void
    ) {
        for a in 0..<2 {
            for b in 0..<2 {
                for r in 0..<kh {
                    for s in 0..<kw {
                        body(r, s, tapH[a][r], tapW[b][s], 2 * a + b)
                    }
                }
            }
        }
    }
}

/// What `Tape.upsampledConv2d` runs, for `bench` and anyone timing it.
public enum UpsampledConv {
    /// The convolution run for an input x [n, h, w, cin] (before upsampling) and a kernel
    /// [kh, kw, cin, cout]: the folded one on x, or, where folding does not apply, the plain one on
    /// the upsampled image.
    public static func geometry(input x: [Int], kernel w: [Int]) -> ConvGeometry {
        guard let plan = UpsampledConvPlan(kernelHeight: w[0], kernelWidth: w[1], height: x[1], width: x[2]) else {
            return ConvGeometry(input: [x[0], 2 * x[1], 2 * x[2], x[3]], kernel: w, stride: 1)
        }
        return plan.geometry(input: x, outChannels: w[3])
    }
}

public extension Tape {
    /// conv2d(upsample2x(x), w, b) ('same' padding, stride 1), computed on x (`UpsampledConvPlan`),
    /// then `epilogue` (`.none` or `.activate`); `winograd` as for `conv2d`, for the folded convolution.
    func upsampledConv2d(
        _ x: Variable, _ w: Variable, _ b: Variable, winograd: Bool = false,
        then epilogue: ConvEpilogue = .none, name: String = "upsampledConv2d"
    ) -> Variable {
        let (n, h, wd) = (x.shape[0], x.shape[1], x.shape[2])
        let cout = w.shape[3]
        guard let plan = UpsampledConvPlan(kernelHeight: w.shape[0], kernelWidth: w.shape[1], height: h, width: wd)
        else {
            return conv2d(upsample2x(x), w, b, winograd: winograd, then: epilogue, name: name)
        }
        let activation: LeakyDropout?
        switch epilogue {
        case .none: activation = nil
        case .activate(let alpha, let rate): activation = leakyDropout(alpha: alpha, rate: rate)
        case .upsampleActivate: preconditionFailure("upsampledConv2d: upsampling its output is not supported")
        }
        let g = plan.geometry(input: x.shape, outChannels: cout)
        let foldedBias = Tensor(shape: [4 * cout], uninitialized: true)
        for p in 0..<4 { (foldedBias.data + p * cout).update(from: b.value.data, count: cout) }
        return convolve(
            ConvPasses.forGeometry(g, winograd: winograd, precision: precision), x, w, b, kernel: plan.fold(w.value),
            bias: foldedBias,
            outputShape: [n, 2 * h, 2 * wd, cout], name: name,
            layout: { PhaseInterleavedOutput(g: g, activation: activation, y: $0.data) },
            unfold: { dFolded, dFoldedBias in
                if w.needsGrad { plan.unfoldAdd(dFolded, into: w.gradBuffer().data, kernelShape: w.shape) }
                if b.needsGrad {
                    let db = b.gradBuffer().data
                    for p in 0..<4 { for o in 0..<cout { db[o] += dFoldedBias.data[p * cout + o] } }
                }
            })
    }
}
