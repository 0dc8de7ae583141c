/// The three passes of a convolution on the kernels measured fastest for its geometry, the one
/// choice that `Tape.conv2d`, `Tape.upsampledConv2d` and `bench` share:
///
/// - where the caller allows it, 3x3 stride-1 convs with 16+ channels each side: Winograd
///   F(4x4, 3x3) + sgemm (`WinogradConv`), 3.1x fewer multiply-adds than oneDNN's direct kernels.
///   Its transforms round, so an output whose whole 3x3 window is zero comes out as ~1e-9 instead
///   of exactly 0, and a LeakyReLU after it (slope 0 at exactly 0, as Keras 2 computes it) then passes
///   a gradient TensorFlow does not: measured on the encoder's conv2, whose blank digit borders
///   give such windows at the first step (its bias gradient 19% off). Callers allow it where no
///   window is all zeros;
/// - one to three output channels (an image drawn grey or in colour), stride 1: forward and
///   weight gradient as one sgemm and shifted adds (`FewOutputConv`), the data gradient on oneDNN;
/// - everything else on oneDNN (`ConvKernel`), but the data gradient of a conv with one to three
///   input channels (a grey or colour image) and the weight gradient of one with one input
///   channel, which run as sgemms where they are large enough (`FewInputConv`).
public final class ConvPasses {
    public enum Algorithm: String, Sendable { case winograd, fewOutputs, oneDNN }

    public let geometry: ConvGeometry
    public let algorithm: Algorithm
    /// The operands' precision: bf16 only on oneDNN, for the geometries where it pays.
    public let precision: Precision
    private let winograd: WinogradConv?
    private var oneDNNKernel: ConvKernel?

    /// What the forward pass leaves for the backward pass (Winograd: the transformed input and kernel).
    public final class Saved {
        fileprivate var input: Tensor?, kernel: Tensor?
    }

    private struct Key: Hashable { let geometry: ConvGeometry, winograd: Bool, precision: Precision }
    private static let cache = SharedCache<Key, ConvPasses>()

    /// The passes for `g` (Winograd only if `winograd` allows it) in `precision`, created on first
    /// use and kept.
    public static func forGeometry(_ g: ConvGeometry, winograd: Bool, precision: Precision = .fp32) -> ConvPasses {
        cache.value(for: Key(geometry: g, winograd: winograd, precision: precision)) {
            ConvPasses(g, algorithm: choose(g, winograd: winograd, precision: precision), precision: precision)
        }
    }

    static func choose(_ g: ConvGeometry, winograd: Bool, precision: Precision) -> Algorithm {
        if winograd && WinogradConv.applies(to: g) && !(precision == .bf16 && bf16Pays(g) && g.outChannels < 128) {
            return .winograd
        }
        if FewOutputConv.applies(to: g) { return .fewOutputs }
        return .oneDNN
    }

    /// Whether oneDNN's bfloat16 kernels beat float32 for `g` (measured on a Zen 5, BENCHMARKS.md,
    /// "bfloat16"): with 32 or more channels on each side, 1.5-1.7x faster for all three passes,
    /// rounding included. With fewer (the one-channel convolutions, the l conv's 16 outputs) the
    /// dot products are too short to pay for rounding the operands, and they stay float32. Of the
    /// Winograd layers, bf16 direct beats float32 Winograd where its GEMMs are narrow
    /// (discriminator.conv2, 64 outputs: 1.6x) and ties where they are wide (the folded
    /// decoder.conv1, 256 outputs), which keeps Winograd, in float32.
    static func bf16Pays(_ g: ConvGeometry) -> Bool { g.inChannels >= 32 && g.outChannels >= 32 }

    /// Passes on the given algorithm (`forGeometry` picks it, and keeps one per geometry); oneDNN's
    /// in `precision` where it pays (`bf16Pays`), every other kernel in float32.
    public init(_ g: ConvGeometry, algorithm: Algorithm, precision: Precision = .fp32) {
        geometry = g
        self.algorithm = algorithm
        self.precision = algorithm == .oneDNN && Self.bf16Pays(g) ? precision : .fp32
        winograd = algorithm == .winograd ? WinogradConv(g) : nil
    }

    /// oneDNN's primitives, created only for the passes that use them.
    private var kernel: ConvKernel {
        if let k = oneDNNKernel { return k }
        let k = ConvKernel.forGeometry(geometry, precision: precision)
        oneDNNKernel = k
        return k
    }

    /// Which implementation runs each pass ("forward", "backward_data", "backward_weights").
    public var implementations: [String: String] {
        var names = passNames
        if algorithm != .winograd && FewInputConv.applies(to: geometry) {
            names["backward_data"] = "sgemm + col2im"
        }
        if algorithm != .winograd && FewInputConv.computesWeightGradient(of: geometry) {
            names["backward_weights"] = "im2col + sgemm"
        }
        return names
    }

    private var passNames: [String: String] {
        switch algorithm {
        case .winograd:
            let name = "winograd F(4x4,3x3) + sgemm"
            return ["forward": name, "backward_data": name, "backward_weights": name]
        case .fewOutputs:
            var names = kernel.implementations
            names["forward"] = "sgemm + shifted adds"
            names["backward_weights"] = "sgemm + shifted adds"
            return names
        case .oneDNN:
            return kernel.implementations
        }
    }

    /// y = conv(x, w) + b. The result keeps what the backward pass can reuse.
    @discardableResult
    public func forward(
        x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
        y: UnsafeMutablePointer<Float>
    ) -> Saved {
        forward(x: x, w: w, b: b, output: SameShapeOutput(g: geometry, activation: nil, y: y))
    }

    /// conv(x, w) + b, each pixel stored through `output`. Winograd stores straight from its
    /// output transform; the other kernels write the plain result to a scratch tensor first.
    func forward<O: ConvOutput>(
        x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>,
        b: UnsafeMutablePointer<Float>, output: O
    ) -> Saved {
        FlopCounter.add(geometry.flops)
        let saved = Saved()
        if algorithm == .winograd {
            let v = winograd!.transformInput(x), u = winograd!.transformKernel(w)
            winograd!.forward(v: v, u: u, b: b, output: output)
            saved.input = v; saved.kernel = u
            return saved
        }
        if let plain = output as? SameShapeOutput, plain.activation == nil {
            directForward(x: x, w: w, b: b, y: plain.y)
            return saved
        }
        let g = geometry
        let y = Tensor(shape: g.outputShape, uninitialized: true), zero = Tensor(shape: [g.outChannels])
        directForward(x: x, w: w, b: zero.data, y: y.data)
        forEachPixel { n, r, c, pixel in output.store(y.data + pixel * g.outChannels, bias: b, n: n, r: r, c: c) }
        return saved
    }

    private func directForward(
        x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
        y: UnsafeMutablePointer<Float>
    ) {
        if algorithm == .fewOutputs {
            FewOutputConv.forward(geometry, x: x, w: w, b: b, y: y)
        } else {
            kernel.forward(x: x, w: w, b: b, y: y)
        }
    }

    /// The gradients for an output gradient dy, each written (overwriting) where a buffer is given:
    /// dx for the input, dw (HWIO) and db for the kernel and bias (both or neither).
    public func backward(
        dy: UnsafeMutablePointer<Float>, x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>,
        saved: Saved, dx: UnsafeMutablePointer<Float>?,
        dw: UnsafeMutablePointer<Float>?, db: UnsafeMutablePointer<Float>?
    ) {
        backward(
            output: SameShapeOutput(g: geometry, activation: nil, y: dy, dy: dy), x: x, w: w, saved: saved, dx: dx,
            dw: dw, db: db)
    }

    /// The same, with the output gradient read through `output` (whose `dy` is set).
    func backward<O: ConvOutput>(
        output: O, x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>,
        saved: Saved, dx: UnsafeMutablePointer<Float>?,
        dw: UnsafeMutablePointer<Float>?, db: UnsafeMutablePointer<Float>?
    ) {
        FlopCounter.add(geometry.flops * Double((dx != nil ? 1 : 0) + (dw != nil ? 1 : 0)))
        if algorithm == .winograd {
            let wino = winograd!
            let dm = wino.transformOutputGradient(output, biasGradient: dw != nil ? db : nil)
            if let dx { wino.backwardData(dm: dm, u: saved.kernel ?? wino.transformKernel(w), dx: dx) }
            if let dw { wino.backwardWeights(v: saved.input ?? wino.transformInput(x), dm: dm, dw: dw) }
            return
        }
        let g = geometry
        var scratch: Tensor?
        let dy: UnsafeMutablePointer<Float>
        if let plain = output as? SameShapeOutput, plain.activation == nil {
            dy = plain.dy!
        } else {
            let t = Tensor(shape: g.outputShape, uninitialized: true)
            forEachPixel { n, r, c, pixel in output.gradient(into: t.data + pixel * g.outChannels, n: n, r: r, c: c) }
            scratch = t
            dy = t.data
        }
        if let dx { backwardData(dy: dy, w: w, dx: dx) }
        if let dw, let db {
            if algorithm == .fewOutputs {
                FewOutputConv.backwardWeights(geometry, x: x, dy: dy, dw: dw, db: db)
            } else if FewInputConv.computesWeightGradient(of: geometry) {
                FewInputConv.backwardWeights(geometry, x: x, dy: dy, dw: dw, db: db)
            } else {
                kernel.backwardWeights(x: x, dy: dy, dw: dw, db: db)
            }
        }
        withExtendedLifetime(scratch) {}
    }

    /// Calls `body(n, r, c, pixel)` for every output pixel, `pixel` its index in raster order,
    /// the images split across the threads.
    private func forEachPixel(_ body: (_ n: Int, _ r: Int, _ c: Int, _ pixel: Int) -> Void) {
        let g = geometry
        Parallel.forRanges(g.batch, grain: 4) { images in
            for n in images {
                for r in 0..<g.outHeight {
                    for c in 0..<g.outWidth {
                        body(n, r, c, (n * g.outHeight + r) * g.outWidth + c)
                    }
                }
            }
        }
    }

    /// The data gradient of the non-Winograd algorithms.
    private func backwardData(
        dy: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>
    ) {
        if FewInputConv.applies(to: geometry) {
            FewInputConv.backwardData(geometry, dy: dy, w: w, dx: dx)
        } else {
            kernel.backwardData(dy: dy, w: w, dx: dx)
        }
    }
}
