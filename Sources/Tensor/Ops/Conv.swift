public extension Tape {
    /// 2-D convolution, NHWC input, HWIO kernel, TensorFlow 'same' padding, then + bias.
    /// Runs on the kernels `ConvPasses` picks for the geometry; `winograd` allows Winograd's
    /// algorithm, for inputs without all-zero 3x3 windows (see `ConvPasses`). The tests hold every
    /// kernel to a plain float64 loop.
    func conv2d(_ x: Variable, _ w: Variable, _ b: Variable, stride: Int = 1, winograd: Bool = false,
                name: String = "conv2d") -> Variable {
        let g = ConvGeometry(input: x.shape, kernel: w.shape, stride: stride)
        precondition(b.shape == [g.outChannels], "conv2d: bias \(b.shape) for \(g.outChannels) channels")
        let passes = ConvPasses.forGeometry(g, winograd: winograd)
        let y = Tensor(shape: g.outputShape, uninitialized: true)
        let saved = passes.forward(x: x.value.data, w: w.value.data, b: b.value.data, y: y.data)
        return record(y, inputs: [x, w, b], op: name) { out in
            let kernelGradients = Self.convBackward(passes, dy: out.grad!.data, x: x, w: w.value.data, saved: saved,
                                                    weights: w.needsGrad || b.needsGrad)
            if let (dw, db) = kernelGradients {
                if w.needsGrad { w.gradBuffer().add(dw) }
                if b.needsGrad { b.gradBuffer().add(db) }
            }
        }
    }

    /// Runs a conv's backward pass: the input gradient straight into x's gradient when it is the
    /// first contribution, and, if `weights`, the kernel and bias gradients, returned.
    internal static func convBackward(_ passes: ConvPasses, dy: UnsafeMutablePointer<Float>, x: Variable,
                                      w: UnsafeMutablePointer<Float>, saved: ConvPasses.Saved,
                                      weights: Bool) -> (dw: Tensor, db: Tensor)? {
        let g = passes.geometry
        let grads = weights ? (dw: Tensor(shape: g.kernelShape, uninitialized: true),
                               db: Tensor(shape: [g.outChannels], uninitialized: true)) : nil
        if x.needsGrad {
            x.accumulateGrad { passes.backward(dy: dy, x: x.value.data, w: w, saved: saved, dx: $0, dw: grads?.dw.data, db: grads?.db.data) }
        } else if let grads {
            passes.backward(dy: dy, x: x.value.data, w: w, saved: saved, dx: nil, dw: grads.dw.data, db: grads.db.data)
        }
        return grads
    }
}
