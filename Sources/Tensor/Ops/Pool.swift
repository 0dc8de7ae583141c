public extension Tape {
    /// Max-pooling 2x2, stride 2, 'same' padding (7 -> 4). Padded cells never win. Each output
    /// remembers which cell of its window won (0-3, row-major), the first maximum in window order,
    /// as TensorFlow does; the backward pass sends the whole gradient there.
    func maxPool2x2(_ x: Variable) -> Variable { maxPool2x2(x, then: nil, appending: nil) }

    /// concatLast(leakyReLUDropout(maxPool2x2(x), alpha, rate), extra): the discriminator's
    /// "MaxPool · A · concat labels" in one pass over memory each way, bit for bit the same as the
    /// three ops (the dropout mask indexed as the pooled tensor's, the slope read off the output).
    func maxPool2x2(_ x: Variable, activate: (alpha: Float, rate: Float), appending extra: Variable) -> Variable {
        maxPool2x2(x, then: leakyDropout(alpha: activate.alpha, rate: activate.rate), appending: extra)
    }

    private func maxPool2x2(_ x: Variable, then activation: LeakyDropout?, appending extra: Variable?) -> Variable {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 1) / 2, ow = (w + 1) / 2
        let e = extra?.shape.last ?? 0, width = c + e  // output channels: pooled, then extra's
        if let extra {
            precondition(
                extra.shape == [n, oh, ow, e], "maxPool2x2: appending \(extra.shape) to [\(n), \(oh), \(ow), \(c)]")
        }
        let y = Tensor(shape: [n, oh, ow, width], uninitialized: true)
        let winners = UnsafeMutablePointer<UInt8>.allocate(capacity: n * oh * ow * c)
        let xd = x.value.data, yd = y.data, ed = extra?.value.data
        Parallel.forRanges(n, grain: 8) { images in
            let (xd, yd, winners) = (xd, yd, winners)  // locals: stores must not force reloads of captures
            for b in images {
                for i in 0..<oh {
                    for j in 0..<ow {
                        let pixel = (b * oh + i) * ow + j, o = pixel * c
                        let p0 = xd + ((b * h + 2 * i) * w + 2 * j) * c
                        let right = 2 * j + 1 < w, down = 2 * i + 1 < h  // padded cells never compete
                        // A missing neighbour repeats cell 0, which can never beat it ('>' keeps the first).
                        let p1 = right ? p0 + c : p0, p2 = down ? p0 + w * c : p0,
                            p3 = right && down ? p0 + w * c + c : p0
                        let out = yd + pixel * width
                        for ch in 0..<c {
                            var best = p0[ch], k: UInt8 = 0
                            if p1[ch] > best { best = p1[ch]; k = 1 }
                            if p2[ch] > best { best = p2[ch]; k = 2 }
                            if p3[ch] > best { best = p3[ch]; k = 3 }
                            out[ch] = best
                            winners[o + ch] = k
                        }
                        if let activation { for ch in 0..<c { out[ch] = activation.value(out[ch], at: o + ch) } }
                        if let ed { (yd + pixel * width + c).update(from: ed + pixel * e, count: e) }
                    }
                }
            }
        }
        let owner = WinnerCodes(winners)
        let inputs = [x] + (extra.map { [$0] } ?? [])
        return record(y, inputs: inputs, op: "maxPool2x2") { out in
            let dy = out.grad!.data
            if let extra, extra.needsGrad {
                let de = extra.gradBuffer().data
                for pixel in 0..<(n * oh * ow) { for k in 0..<e { de[pixel * e + k] += dy[pixel * width + c + k] } }
            }
            guard x.needsGrad else { return }
            // Every input cell lies in exactly one window: the first contribution writes every cell
            // (the winner's gradient, zeros elsewhere), so the buffer needs no zero-fill.
            x.accumulateGradInPlace { dx, first in
                Parallel.forRanges(n, grain: 8) { images in
                    let (dx, dy, yd, winners) = (dx, dy, yd, owner.codes)
                    let dPooled = UnsafeMutablePointer<Float>.allocate(capacity: c)
                    defer { dPooled.deallocate() }
                    for b in images {
                        for i in 0..<oh {
                            for j in 0..<ow {
                                let pixel = (b * oh + i) * ow + j, o = pixel * c
                                LeakyDropout.gradient(
                                    activation, dy + pixel * width, output: yd + pixel * width, into: dPooled, count: c,
                                    add: false)
                                let q0 = dx + ((b * h + 2 * i) * w + 2 * j) * c
                                let right = 2 * j + 1 < w, down = 2 * i + 1 < h
                                func emit(_ cell: UnsafeMutablePointer<Float>, _ code: UInt8) {
                                    if first {
                                        for ch in 0..<c { cell[ch] = winners[o + ch] == code ? dPooled[ch] : 0 }
                                    } else {
                                        for ch in 0..<c where winners[o + ch] == code { cell[ch] += dPooled[ch] }
                                    }
                                }
                                emit(q0, 0)
                                if right { emit(q0 + c, 1) }
                                if down { emit(q0 + w * c, 2) }
                                if right && down { emit(q0 + w * c + c, 3) }
                            }
                        }
                    }
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
            for b in images {
                for i in 0..<(2 * h) {
                    for j in 0..<(2 * w) {
                        (yd + ((b * 2 * h + i) * 2 * w + j) * c).update(
                            from: xd + ((b * h + i / 2) * w + j / 2) * c, count: c)
                    }
                }
            }
        }
        return record(y, inputs: [x]) { out in
            guard x.needsGrad else { return }
            let dy = out.grad!.data, dx = x.gradBuffer().data
            // Each input pixel gathers its four copies, in the order the serial loop added them.
            Parallel.forRanges(n, grain: 8) { images in
                let (dx, dy) = (dx, dy)
                for b in images {
                    for i in 0..<(2 * h) {
                        for j in 0..<(2 * w) {
                            let src = dy + ((b * 2 * h + i) * 2 * w + j) * c,
                                dst = dx + ((b * h + i / 2) * w + j / 2) * c
                            for ch in 0..<c { dst[ch] += src[ch] }
                        }
                    }
                }
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
