public extension Tape {
    /// Max-pooling 2x2, stride 2, 'same' padding (7 -> 4). Padded cells never win. Each output
    /// remembers which cell of its window won (0-3, row-major), the first maximum in window order,
    /// as TensorFlow does; the backward pass sends the whole gradient there.
    func maxPool2x2(_ x: Variable) -> Variable {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 1) / 2, ow = (w + 1) / 2
        let y = Tensor(shape: [n, oh, ow, c], uninitialized: true)
        let winners = UnsafeMutablePointer<UInt8>.allocate(capacity: y.count)
        let xd = x.value.data, yd = y.data
        Parallel.forRanges(n, grain: 8) { images in
            let (xd, yd, winners) = (xd, yd, winners)  // locals: stores must not force reloads of captures
            for b in images { for i in 0..<oh { for j in 0..<ow {
                let o = ((b * oh + i) * ow + j) * c
                let p0 = xd + ((b * h + 2 * i) * w + 2 * j) * c
                let right = 2 * j + 1 < w, down = 2 * i + 1 < h  // padded cells never compete
                // A missing neighbour repeats cell 0, which can never beat it ('>' keeps the first).
                let p1 = right ? p0 + c : p0, p2 = down ? p0 + w * c : p0, p3 = right && down ? p0 + w * c + c : p0
                for ch in 0..<c {
                    var best = p0[ch], k: UInt8 = 0
                    if p1[ch] > best { best = p1[ch]; k = 1 }
                    if p2[ch] > best { best = p2[ch]; k = 2 }
                    if p3[ch] > best { best = p3[ch]; k = 3 }
                    yd[o + ch] = best
                    winners[o + ch] = k
                }
            } } }
        }
        let owner = WinnerCodes(winners)
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data
            // Every input cell lies in exactly one window: the first contribution writes every cell
            // (the winner's gradient, zeros elsewhere), so the buffer needs no zero-fill.
            x.accumulateGradInPlace { dx, first in
                Parallel.forRanges(n, grain: 8) { images in
                    let (dx, dy, winners) = (dx, dy, owner.codes)
                    for b in images { for i in 0..<oh { for j in 0..<ow {
                        let o = ((b * oh + i) * ow + j) * c
                        let q0 = dx + ((b * h + 2 * i) * w + 2 * j) * c
                        let right = 2 * j + 1 < w, down = 2 * i + 1 < h
                        func emit(_ cell: UnsafeMutablePointer<Float>, _ code: UInt8) {
                            if first {
                                for ch in 0..<c { cell[ch] = winners[o + ch] == code ? dy[o + ch] : 0 }
                            } else {
                                for ch in 0..<c where winners[o + ch] == code { cell[ch] += dy[o + ch] }
                            }
                        }
                        emit(q0, 0)
                        if right { emit(q0 + c, 1) }
                        if down { emit(q0 + w * c, 2) }
                        if right && down { emit(q0 + w * c + c, 3) }
                    } } }
                }
            }
        }
    }

    /// Nearest-neighbour upsampling x2 in height and width (Keras UpSampling2D).
    func upsample2x(_ x: Variable) -> Variable {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let y = Tensor(shape: [n, 2 * h, 2 * w, c], uninitialized: true)
        let xd = x.value.data, yd = y.data
        Parallel.forRanges(n, grain: 8) { images in
            let (xd, yd) = (xd, yd)
            for b in images { for i in 0..<(2 * h) { for j in 0..<(2 * w) {
                (yd + ((b * 2 * h + i) * 2 * w + j) * c).update(from: xd + ((b * h + i / 2) * w + j / 2) * c, count: c)
            } } }
        }
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data, dx = x.gradBuffer().data
            // Each input pixel gathers its four copies, in the order the serial loop added them.
            Parallel.forRanges(n, grain: 8) { images in
                let (dx, dy) = (dx, dy)
                for b in images { for i in 0..<(2 * h) { for j in 0..<(2 * w) {
                    let src = dy + ((b * 2 * h + i) * 2 * w + j) * c, dst = dx + ((b * h + i / 2) * w + j / 2) * c
                    for ch in 0..<c { dst[ch] += src[ch] }
                } } }
            }
        }
    }
}

/// The winning cell of each max-pool output, freed with the op's backward closure.
final class WinnerCodes: @unchecked Sendable {
    let codes: UnsafeMutablePointer<UInt8>
    init(_ codes: UnsafeMutablePointer<UInt8>) { self.codes = codes }
    deinit { codes.deallocate() }
}
