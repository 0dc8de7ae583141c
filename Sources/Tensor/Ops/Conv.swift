/// What a convolution op does to its output before handing it on: nothing, the model's
/// activation (LeakyReLU, then dropout while training), or a nearest-neighbour x2 upsampling and
/// then the activation. Fused into the convolution's last write (`ConvOutput`): the plain output
/// never reaches memory, and the backward pass reads the activation's slope off the op's output.
public enum ConvEpilogue: Sendable {
    case none
    case activate(alpha: Float, dropout: Float)
    case upsampleActivate(alpha: Float, dropout: Float)
}

public extension Tape {
    /// 2-D convolution, NHWC input, HWIO kernel, TensorFlow 'same' padding, then + bias, then
    /// `epilogue`. Runs on the kernels `ConvPasses` picks for the geometry; `winograd` allows
    /// Winograd's algorithm, for inputs without all-zero 3x3 windows (see `ConvPasses`). The tests
    /// hold every kernel to a plain float64 loop, and each epilogue to the ops it fuses.
    func conv2d(
        _ x: Variable, _ w: Variable, _ b: Variable, stride: Int = 1, winograd: Bool = false,
        then epilogue: ConvEpilogue = .none, name: String = "conv2d"
    ) -> Variable {
        let g = ConvGeometry(input: x.shape, kernel: w.shape, stride: stride)
        precondition(b.shape == [g.outChannels], "conv2d: bias \(b.shape) for \(g.outChannels) channels")
        let passes = ConvPasses.forGeometry(g, winograd: winograd, precision: precision)
        switch epilogue {
        case .none:
            return convolve(passes, x, w, b, name: name) { SameShapeOutput(g: g, activation: nil, y: $0.data) }
        case .activate(let alpha, let rate):
            let a = leakyDropout(alpha: alpha, rate: rate)
            return convolve(passes, x, w, b, name: name) { SameShapeOutput(g: g, activation: a, y: $0.data) }
        case .upsampleActivate(let alpha, let rate):
            let a = leakyDropout(alpha: alpha, rate: rate)
            return convolve(
                passes, x, w, b, outputShape: [g.batch, 2 * g.outHeight, 2 * g.outWidth, g.outChannels],
                name: name
            ) { UpsampledOutput(g: g, activation: a, y: $0.data) }
        }
    }

    /// The activation of an epilogue on this tape: its dropout mask drawn now (one draw of the
    /// tape's generator, as `leakyReLUDropout` makes), and only while training.
    internal func leakyDropout(alpha: Float, rate: Float) -> LeakyDropout {
        let mask = training && rate > 0 ? DropoutMask(key: nextMaskKey(), keep: 1 - rate) : nil
        return LeakyDropout(alpha: alpha, mask: mask, rate: rate)
    }

    /// Runs `passes` forward into a tensor of `outputShape` (the convolution's own by default)
    /// through the `ConvOutput` that `layout` makes for it, and records the backward pass, which
    /// reads the output gradient through the same layout.
    internal func convolve<O: ConvOutput>(
        _ passes: ConvPasses, _ x: Variable, _ w: Variable, _ b: Variable,
        kernel: Tensor? = nil, bias: Tensor? = nil, outputShape: [Int]? = nil,
        name: String, layout: (Tensor) -> O,
        unfold: ((_ dw: Tensor, _ db: Tensor) -> Void)? = nil
    ) -> Variable {
        let kernel = kernel ?? w.value, bias = bias ?? b.value
        let y = Tensor(shape: outputShape ?? passes.geometry.outputShape, uninitialized: true)
        let output = layout(y)
        let saved = passes.forward(x: x.value.data, w: kernel.data, b: bias.data, output: output)
        return record(y, inputs: [x, w, b], op: name) { out in
            // The closure owns `kernel`: the backward pass needs the one it ran with.
            var gradientOutput = output
            gradientOutput.dy = out.grad!.data
            let g = passes.geometry
            let weights = w.needsGrad || b.needsGrad
            let dw = weights ? Tensor(shape: g.kernelShape, uninitialized: true) : nil
            let db = weights ? Tensor(shape: [g.outChannels], uninitialized: true) : nil
            func run(_ dx: UnsafeMutablePointer<Float>?) {
                passes.backward(
                    output: gradientOutput, x: x.value.data, w: kernel.data, saved: saved, dx: dx, dw: dw?.data,
                    db: db?.data)
            }
            if x.needsGrad { x.accumulateGrad(run) } else if weights { run(nil) }
            guard let dw, let db else { return }
            if let unfold { unfold(dw, db); return }
            if w.needsGrad { w.gradBuffer().add(dw) }
            if b.needsGrad { b.gradBuffer().add(db) }
        }
    }
}
