public extension Tape {
    /// The same values under another shape (Flatten, Reshape).
    func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
        let y = x.value.reshaped(shape)
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            x.gradBuffer().add(out.grad!)
        }
    }

    /// Concatenate along the last axis (channels for NHWC, features for [N, F]).
    func concatLast(_ a: Variable, _ b: Variable) -> Variable {
        precondition(a.shape.dropLast() == b.shape.dropLast(), "concat: \(a.shape) and \(b.shape)")
        let ca = a.shape.last!, cb = b.shape.last!, c = ca + cb
        let rows = a.value.count / max(ca, 1)
        let y = Tensor(shape: a.shape.dropLast() + [c])
        for r in 0..<rows {
            (y.data + r * c).update(from: a.value.data + r * ca, count: ca)
            (y.data + r * c + ca).update(from: b.value.data + r * cb, count: cb)
        }
        return record(y, inputs: [a, b]) { out in
            let dy = out.grad!.data
            if a.needsGrad { let da = a.gradBuffer().data; for r in 0..<rows { for k in 0..<ca { da[r * ca + k] += dy[r * c + k] } } }
            if b.needsGrad { let db = b.gradBuffer().data; for r in 0..<rows { for k in 0..<cb { db[r * cb + k] += dy[r * c + ca + k] } } }
        }
    }

    /// Repeat a per-sample vector [N, C] over an HxW grid: [N, H, W, C] (the label broadcast).
    func broadcastSpatial(_ x: Variable, height: Int, width: Int) -> Variable {
        let (n, c) = (x.shape[0], x.shape[1])
        let y = Tensor(shape: [n, height, width, c])
        for b in 0..<n { for p in 0..<(height * width) {
            (y.data + (b * height * width + p) * c).update(from: x.value.data + b * c, count: c)
        } }
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data, dx = x.gradBuffer().data
            for b in 0..<n { for p in 0..<(height * width) { for k in 0..<c { dx[b * c + k] += dy[(b * height * width + p) * c + k] } } }
        }
    }

    /// Rows `range` of the leading (batch) axis, e.g. one of the inputs of a batched pass.
    func rows(_ x: Variable, _ range: Range<Int>) -> Variable {
        let y = x.value.rows(range)
        let per = x.value.count / max(x.shape[0], 1)
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dx = x.gradBuffer().data + range.lowerBound * per, dy = out.grad!.data
            for i in 0..<y.count { dx[i] += dy[i] }
        }
    }

    /// Stack along the leading (batch) axis: the inputs of one batched pass.
    func concatRows(_ parts: [Variable]) -> Variable {
        let y = Tensor.concatRows(parts.map(\.value))
        return record(y, inputs: parts) { out in
            var offset = 0
            for p in parts {
                if p.needsGrad {
                    let dp = p.gradBuffer().data, dy = out.grad!.data + offset
                    for i in 0..<p.value.count { dp[i] += dy[i] }
                }
                offset += p.value.count
            }
        }
    }
}
