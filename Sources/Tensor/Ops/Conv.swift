public extension Tape {
    /// 2-D convolution, NHWC input, HWIO kernel, TensorFlow 'same' padding, then + bias.
    /// Runs on oneDNN (`ConvKernel`), except the forward and weight gradient of stride-1 convs with
    /// one output channel (`SingleOutputConv`); `Reference.conv2d` is the plain loop both are
    /// tested against.
    func conv2d(_ x: Variable, _ w: Variable, _ b: Variable, stride: Int = 1, name: String = "conv2d") -> Variable {
        let g = ConvGeometry(input: x.shape, kernel: w.shape, stride: stride)
        precondition(b.shape == [g.outChannels], "conv2d: bias \(b.shape) for \(g.outChannels) channels")
        let kernel = ConvKernel.forGeometry(g)
        let singleOutput = SingleOutputConv.applies(to: g)
        let y = Tensor(shape: g.outputShape, uninitialized: true)
        FlopCounter.add(g.flops)
        if singleOutput {
            SingleOutputConv.forward(g, x: x.value.data, w: w.value.data, b: b.value.data, y: y.data)
        } else {
            kernel.forward(x: x.value.data, w: w.value.data, b: b.value.data, y: y.data)
        }
        return record(y, inputs: [x, w, b], op: name) { out in
            let dy = out.grad!.data
            if x.needsGrad {
                FlopCounter.add(g.flops)
                x.accumulateGrad { kernel.backwardData(dy: dy, w: w.value.data, dx: $0) }
            }
            if w.needsGrad || b.needsGrad {
                FlopCounter.add(g.flops)
                let dw = Tensor(shape: g.kernelShape), db = Tensor(shape: [g.outChannels])
                if singleOutput {
                    SingleOutputConv.backwardWeights(g, x: x.value.data, dy: dy, dw: dw.data, db: db.data)
                } else {
                    kernel.backwardWeights(x: x.value.data, dy: dy, dw: dw.data, db: db.data)
                }
                if w.needsGrad { w.gradBuffer().add(dw) }
                if b.needsGrad { b.gradBuffer().add(db) }
            }
        }
    }
}
