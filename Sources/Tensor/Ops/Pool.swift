public extension Tape {
    /// Max-pooling 2x2, stride 2, 'same' padding (7 -> 4). Padded cells never win. Each output
    /// remembers which input won, the first maximum in row-major window order, as TensorFlow does;
    /// the backward pass sends the whole gradient there.
    func maxPool2x2(_ x: Variable) -> Variable {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 1) / 2, ow = (w + 1) / 2
        let y = Tensor(shape: [n, oh, ow, c], uninitialized: true)
        var argmax = [Int32](repeating: 0, count: y.count)
        let xd = x.value.data, yd = y.data
        argmax.withUnsafeMutableBufferPointer { winners in
            let am = winners.baseAddress!
            Parallel.forRanges(n, grain: 8) { images in
                let (xd, yd, am) = (xd, yd, am)  // locals: stores must not force reloads of captures
                for b in images { for i in 0..<oh { for j in 0..<ow {
                    let o = ((b * oh + i) * ow + j) * c
                    let first = ((b * h + 2 * i) * w + 2 * j) * c
                    for ch in 0..<c { yd[o + ch] = xd[first + ch]; am[o + ch] = Int32(first + ch) }
                    // The other cells in row-major order; a later cell wins only if strictly greater.
                    func challenge(_ base: Int) {
                        for ch in 0..<c where xd[base + ch] > yd[o + ch] {
                            yd[o + ch] = xd[base + ch]; am[o + ch] = Int32(base + ch)
                        }
                    }
                    let right = 2 * j + 1 < w, down = 2 * i + 1 < h  // padded cells never compete
                    if right { challenge(first + c) }
                    if down { challenge(first + w * c) }
                    if right && down { challenge(first + w * c + c) }
                } } }
            }
        }
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data, dx = x.gradBuffer().data
            // Each output's winner lies in its own window, so batches never share a target.
            let per = oh * ow * c
            argmax.withUnsafeBufferPointer { am in
                Parallel.forRanges(n, grain: 8) { batchRange in
                    let (dx, dy, am) = (dx, dy, am.baseAddress!)
                    for o in (batchRange.lowerBound * per)..<(batchRange.upperBound * per) { dx[Int(am[o])] += dy[o] }
                }
            }
        }
    }

    /// Nearest-neighbour upsampling x2 in height and width (Keras UpSampling2D).
    func upsample2x(_ x: Variable) -> Variable {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let y = Tensor(shape: [n, 2 * h, 2 * w, c], uninitialized: true)
        let xd = x.value.data, yd = y.data
        for b in 0..<n { for i in 0..<(2 * h) { for j in 0..<(2 * w) {
            (yd + ((b * 2 * h + i) * 2 * w + j) * c).update(from: xd + ((b * h + i / 2) * w + j / 2) * c, count: c)
        } } }
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data, dx = x.gradBuffer().data
            let (n, h, w, c) = (n, h, w, c)
            for b in 0..<n { for i in 0..<(2 * h) { for j in 0..<(2 * w) {
                let src = dy + ((b * 2 * h + i) * 2 * w + j) * c, dst = dx + ((b * h + i / 2) * w + j / 2) * c
                for ch in 0..<c { dst[ch] += src[ch] }
            } } }
        }
    }
}
