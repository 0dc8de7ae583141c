public extension Tape {
    /// The same values under another shape (Flatten, Reshape): a view, no copy either way. The
    /// gradient becomes x's as a view too when it is x's first (a copy adds nothing to it).
    func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
        let y = x.value.viewed(as: shape)
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!
            if let dx = x.grad { dx.add(dy) } else { x.grad = dy.viewed(as: x.shape) }
        }
    }

    /// Concatenate along the last axis (channels for NHWC, features for [N, F]).
    func concatLast(_ a: Variable, _ b: Variable) -> Variable {
        precondition(a.shape.dropLast() == b.shape.dropLast(), "concat: \(a.shape) and \(b.shape)")
        let ca = a.shape.last!, cb = b.shape.last!, c = ca + cb
        let rows = a.value.count / max(ca, 1)
        let y = Tensor(shape: a.shape.dropLast() + [c], uninitialized: true)
        let (ad, bd, yd) = (a.value.data, b.value.data, y.data)
        let grain = max(1, (1 << 15) / max(c, 1))  // rows per piece: about 32k floats
        Parallel.forRanges(rows, grain: grain) { range in
            for r in range {
                (yd + r * c).update(from: ad + r * ca, count: ca)
                (yd + r * c + ca).update(from: bd + r * cb, count: cb)
            }
        }
        return record(y, inputs: [a, b]) { out in
            let dy = out.grad!.data
            for (part, width, offset) in [(a, ca, 0), (b, cb, ca)] where part.needsGrad {
                let dp = part.gradBuffer().data
                Parallel.forRanges(rows, grain: grain) { range in
                    for r in range { for k in 0..<width { dp[r * width + k] += dy[r * c + offset + k] } }
                }
            }
        }
    }

    /// Repeat a per-sample vector [N, C] over an HxW grid: [N, H, W, C] (the label broadcast).
    func broadcastSpatial(_ x: Variable, height: Int, width: Int) -> Variable {
        let (n, c) = (x.shape[0], x.shape[1])
        let y = Tensor(shape: [n, height, width, c])
        for b in 0..<n {
            for p in 0..<(height * width) {
                (y.data + (b * height * width + p) * c).update(from: x.value.data + b * c, count: c)
            }
        }
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data, dx = x.gradBuffer().data
            for b in 0..<n {
                for p in 0..<(height * width) {
                    for k in 0..<c { dx[b * c + k] += dy[(b * height * width + p) * c + k] }
                }
            }
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
