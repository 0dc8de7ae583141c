import Foundation

public extension Tape {
    /// y = f(x) elementwise, with dx += dy * f'(x, y) in the backward pass. Runs on every thread
    /// (each element is computed alone, so the split changes nothing).
    @inline(__always)
    func elementwise(
        _ x: Variable, _ f: @escaping (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float
    ) -> Variable {
        let y = Tensor(shape: x.shape, uninitialized: true)
        let xd = x.value.data, yd = y.data
        Parallel.forRanges(y.count) { r in
            let (xd, yd) = (xd, yd)
            for i in r { yd[i] = f(xd[i]) }
        }
        let n = y.count
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data, dx = x.gradBuffer().data
            Parallel.forRanges(n) { r in
                let (xd, yd, dx, dy) = (xd, yd, dx, dy)
                for i in r { dx[i] += dy[i] * derivative(xd[i], yd[i]) }
            }
        }
    }

    /// LeakyReLU as Keras 2 computes it, relu(x) - alpha*relu(-x): slope 1 above zero, alpha below,
    /// and 0 at exactly zero (both relus have zero gradient there).
    func leakyReLU(_ x: Variable, alpha: Float = 0.3) -> Variable {
        let y = Tensor(shape: x.shape, uninitialized: true)
        let xd = x.value.data, yd = y.data, n = y.count
        Parallel.forRanges(n) { r in
            let (xd, yd, alpha) = (xd, yd, alpha)  // locals: stores must not force reloads of captures
            for i in r { let v = xd[i]; yd[i] = v > 0 ? v : (v < 0 ? alpha * v : 0) }
        }
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data, dx = x.gradBuffer().data
            Parallel.forRanges(n) { r in
                let (xd, dy, dx, alpha) = (xd, dy, dx, alpha)
                for i in r { let v = xd[i]; dx[i] += dy[i] * (v > 0 ? 1 : (v < 0 ? alpha : 0)) }
            }
        }
    }

    func sigmoid(_ x: Variable) -> Variable {
        elementwise(x, { 1 / (1 + Foundation.exp(-$0)) }, derivative: { _, y in y * (1 - y) })
    }

    func exp(_ x: Variable) -> Variable {
        elementwise(x, { Foundation.exp($0) }, derivative: { _, y in y })
    }

    func log(_ x: Variable) -> Variable {
        elementwise(x, { Foundation.log($0) }, derivative: { x, _ in 1 / x })
    }

    func square(_ x: Variable) -> Variable {
        elementwise(x, { $0 * $0 }, derivative: { x, _ in 2 * x })
    }

    /// y = x * scale + shift.
    func affine(_ x: Variable, scale: Float, shift: Float = 0) -> Variable {
        elementwise(x, { $0 * scale + shift }, derivative: { _, _ in scale })
    }

    /// Clip to [low, high]; the gradient passes where low <= x <= high (as `tf.clip_by_value`).
    func clip(_ x: Variable, _ low: Float, _ high: Float) -> Variable {
        elementwise(
            x, { Swift.min(Swift.max($0, low), high) },
            derivative: { x, _ in (x >= low && x <= high) ? 1 : 0 })
    }

    /// "A" of the model, LeakyReLU then inverted dropout (`LeakyDropout`), in one pass over memory
    /// each way, on every thread. The mask comes from a counter-based hash keyed by one draw of the
    /// tape's generator (`DropoutMask`), and the backward pass reads the slope off the output, so
    /// neither the input nor the mask is needed again. Bit for bit the same as
    /// `dropout(leakyReLU(x))`; a convolution's epilogue (`ConvEpilogue`) fuses the same into its write.
    func leakyReLUDropout(_ x: Variable, alpha: Float, rate: Float) -> Variable {
        guard training, rate > 0 else { return leakyReLU(x, alpha: alpha) }
        let a = leakyDropout(alpha: alpha, rate: rate)
        let n = x.value.count
        let y = Tensor(shape: x.shape, uninitialized: true)
        let xd = x.value.data, yd = y.data
        Parallel.forRanges(n) { r in
            let (xd, yd, a) = (xd, yd, a)  // locals: stores must not force reloads of captures
            for i in r { yd[i] = a.value(xd[i], at: i) }
        }
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data
            x.accumulateGradInPlace { dx, first in
                Parallel.forRanges(n) { r in
                    LeakyDropout.gradient(
                        a, dy + r.lowerBound, output: yd + r.lowerBound, into: dx + r.lowerBound,
                        count: r.count, add: !first)
                }
            }
        }
    }

    /// Inverted dropout: in training, each element is kept with probability 1-rate and scaled by
    /// 1/(1-rate) (mask: `DropoutMask`, keyed by one draw of the tape's generator); outside
    /// training it is the identity.
    func dropout(_ x: Variable, rate: Float) -> Variable {
        guard training, rate > 0 else { return x }
        let scale = 1 / (1 - rate)
        let mask = DropoutMask(key: nextMaskKey(), keep: 1 - rate)
        let y = Tensor(shape: x.shape, uninitialized: true)
        let xd = x.value.data, yd = y.data, n = y.count
        for i in 0..<n { yd[i] = xd[i] * (mask.keeps(i) ? scale : 0) }
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data, dx = x.gradBuffer().data
            for i in 0..<n { dx[i] += dy[i] * (mask.keeps(i) ? scale : 0) }
        }
    }

    /// a + b, same shapes.
    func add(_ a: Variable, _ b: Variable) -> Variable { combine(a, b, sign: 1) }

    /// a - b, same shapes.
    func subtract(_ a: Variable, _ b: Variable) -> Variable { combine(a, b, sign: -1) }

    private func combine(_ a: Variable, _ b: Variable, sign: Float) -> Variable {
        precondition(a.shape == b.shape, "add/subtract: \(a.shape) vs \(b.shape)")
        let y = Tensor(shape: a.shape, uninitialized: true)
        let ad = a.value.data, bd = b.value.data, yd = y.data, n = y.count
        for i in 0..<n { yd[i] = ad[i] + sign * bd[i] }
        return record(y, inputs: [a, b]) { out in
            let dy = out.grad!.data
            if a.needsGrad { let da = a.gradBuffer().data; for i in 0..<n { da[i] += dy[i] } }
            if b.needsGrad { let db = b.gradBuffer().data; for i in 0..<n { db[i] += sign * dy[i] } }
        }
    }

    /// a * b elementwise, same shapes.
    func multiply(_ a: Variable, _ b: Variable) -> Variable {
        precondition(a.shape == b.shape, "multiply: \(a.shape) vs \(b.shape)")
        let y = Tensor(shape: a.shape, uninitialized: true)
        let ad = a.value.data, bd = b.value.data, yd = y.data, n = y.count
        for i in 0..<n { yd[i] = ad[i] * bd[i] }
        return record(y, inputs: [a, b]) { out in
            let dy = out.grad!.data
            if a.needsGrad { let da = a.gradBuffer().data; for i in 0..<n { da[i] += dy[i] * bd[i] } }
            if b.needsGrad { let db = b.gradBuffer().data; for i in 0..<n { db[i] += dy[i] * ad[i] } }
        }
    }

    /// The sum of all elements, as a tensor of shape [1]. Accumulates in double precision.
    func sum(_ x: Variable) -> Variable {
        let y = Tensor(shape: [1], values: [Float(x.value.sum)])
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let g = out.grad!.data[0], dx = x.gradBuffer().data
            for i in 0..<x.value.count { dx[i] += g }
        }
    }

    /// TensorFlow's sigmoid_cross_entropy_with_logits:
    ///     max(x, 0) - x*t + log(1 + exp(-|x|))
    /// d/dx = sigmoid(x) - t, d/dt = -x.
    func sigmoidCrossEntropy(labels t: Variable, logits x: Variable) -> Variable {
        precondition(t.shape == x.shape, "sigmoid xent: labels \(t.shape) logits \(x.shape)")
        let y = Tensor(shape: x.shape, uninitialized: true)
        let xd = x.value.data, td = t.value.data, yd = y.data
        for i in 0..<y.count {
            let v = xd[i]
            yd[i] = Swift.max(v, 0) - v * td[i] + Foundation.log1p(Foundation.exp(-Swift.abs(v)))
        }
        return record(y, inputs: [t, x]) { out in
            let dy = out.grad!.data
            if x.needsGrad {
                let dx = x.gradBuffer().data
                for i in 0..<y.count { dx[i] += dy[i] * (1 / (1 + Foundation.exp(-xd[i])) - td[i]) }
            }
            if t.needsGrad {
                let dt = t.gradBuffer().data
                for i in 0..<y.count { dt[i] -= dy[i] * xd[i] }
            }
        }
    }
}
