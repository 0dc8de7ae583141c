/// LeakyReLU(alpha) then inverted dropout, as a kernel applies it to each value it writes:
///
///     y = (x > 0 ? x : (x < 0 ? alpha x : 0)) * (kept(i) ? scale : 0),    scale = 1 / (1 - rate)
///
/// (Keras 2's relu(x) - alpha relu(-x): slope 0 at exactly 0). Its derivative is read off the
/// output alone: where the unit is kept, y has the sign of x, and y is 0 where it is dropped or
/// x is 0, both places where the gradient is 0. So a backward pass needs neither the input nor the
/// mask, and a fused kernel never stores the value before the activation.
public struct LeakyDropout: Sendable {
    public let alpha: Float
    /// nil: no dropout (outside training).
    public let mask: DropoutMask?
    let scale: Float

    public init(alpha: Float, mask: DropoutMask?, rate: Float) {
        self.alpha = alpha
        self.mask = mask
        scale = mask == nil ? 1 : 1 / (1 - rate)
    }

    /// The output for input `v` at flat index `i` of the output tensor (the mask's counter).
    @inline(__always) func value(_ v: Float, at i: Int) -> Float {
        let leaky = v > 0 ? v : (v < 0 ? alpha * v : 0)
        guard let mask else { return leaky }
        return leaky * (mask.keeps(i) ? scale : 0)
    }

    /// dL/dx from dL/dy and y: (dy * mask scale) * slope, the two factors in the order the
    /// unfused dropout and LeakyReLU backward passes apply them, so both give the same bits.
    @inline(__always) func gradient(_ dy: Float, output y: Float) -> Float {
        (dy * (y != 0 ? scale : 0)) * (y > 0 ? 1 : (y < 0 ? alpha : 0))
    }

    typealias P = UnsafeMutablePointer<Float>

    /// dst[o] = value(src[o] + bias[o], at: index + o) for o < n; identity after the bias if nil.
    @inline(__always)
    static func write(_ a: LeakyDropout?, _ src: P, bias: P, to dst: P, count n: Int, index: Int) {
        guard let a else { for o in 0..<n { dst[o] = src[o] + bias[o] }; return }
        if a.mask == nil {
            for o in 0..<n { let v = src[o] + bias[o]; dst[o] = v > 0 ? v : (v < 0 ? a.alpha * v : 0) }
        } else {
            for o in 0..<n { dst[o] = a.value(src[o] + bias[o], at: index + o) }
        }
    }

    /// dst[o] = gradient(dy[o], y[o]) for o < n; a copy of dy if nil. `add` adds instead.
    @inline(__always)
    static func gradient(_ a: LeakyDropout?, _ dy: P, output y: P, into dst: P, count n: Int, add: Bool) {
        switch (a, add) {
        case (nil, false): dst.update(from: dy, count: n)
        case (nil, true): for o in 0..<n { dst[o] += dy[o] }
        case (let a?, false): for o in 0..<n { dst[o] = a.gradient(dy[o], output: y[o]) }
        case (let a?, true): for o in 0..<n { dst[o] += a.gradient(dy[o], output: y[o]) }
        }
    }
}

/// Where a convolution's output pixels go, and where the gradient of each comes back from: the
/// convolution's output itself, or a tensor made from it by an activation (`LeakyDropout`) and a
/// rearrangement, fused into the kernel's last write so that the plain output never reaches memory.
/// A pixel is (image n, row r, column c) of the convolution's output, K channels.
protocol ConvOutput {
    /// Stores the pixel whose K channels, before the bias, are `v`.
    func store(_ v: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, n: Int, r: Int, c: Int)
    /// Writes dL/d(pixel) of the convolution's own output, K channels, into `d`. Needs `dy`.
    func gradient(into d: UnsafeMutablePointer<Float>, n: Int, r: Int, c: Int)
    /// dL/d(output tensor), set for the backward pass.
    var dy: UnsafeMutablePointer<Float>? { get set }
}

/// The output tensor has the convolution's shape [N, H, W, K].
struct SameShapeOutput: ConvOutput {
    let g: ConvGeometry, activation: LeakyDropout?
    let y: UnsafeMutablePointer<Float>
    var dy: UnsafeMutablePointer<Float>? = nil

    @inline(__always) func offset(_ n: Int, _ r: Int, _ c: Int) -> Int {
        ((n * g.outHeight + r) * g.outWidth + c) * g.outChannels
    }

    func store(_ v: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, n: Int, r: Int, c: Int) {
        let o = offset(n, r, c)
        LeakyDropout.write(activation, v, bias: bias, to: y + o, count: g.outChannels, index: o)
    }

    func gradient(into d: UnsafeMutablePointer<Float>, n: Int, r: Int, c: Int) {
        let o = offset(n, r, c)
        LeakyDropout.gradient(activation, dy! + o, output: y + o, into: d, count: g.outChannels, add: false)
    }
}

/// The output tensor is the activation of the nearest-neighbour x2 upsampling of the convolution's
/// output, [N, 2H, 2W, K]: pixel (r, c) is written to (2r+a, 2c+b) for a, b in {0, 1}, each copy
/// with its own dropout, and its gradient is the sum of the four copies' (in raster order, as the
/// unfused upsampling's backward adds them).
struct UpsampledOutput: ConvOutput {
    let g: ConvGeometry, activation: LeakyDropout?
    let y: UnsafeMutablePointer<Float>
    var dy: UnsafeMutablePointer<Float>? = nil

    @inline(__always) func offset(_ n: Int, _ r: Int, _ c: Int) -> Int {
        ((n * 2 * g.outHeight + r) * 2 * g.outWidth + c) * g.outChannels
    }

    func store(_ v: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, n: Int, r: Int, c: Int) {
        for a in 0..<2 {
            for b in 0..<2 {
                let o = offset(n, 2 * r + a, 2 * c + b)
                LeakyDropout.write(activation, v, bias: bias, to: y + o, count: g.outChannels, index: o)
            }
        }
    }

    func gradient(into d: UnsafeMutablePointer<Float>, n: Int, r: Int, c: Int) {
        for a in 0..<2 {
            for b in 0..<2 {
                let o = offset(n, 2 * r + a, 2 * c + b)
                LeakyDropout.gradient(activation, dy! + o, output: y + o, into: d, count: g.outChannels, add: a + b > 0)
            }
        }
    }
}

/// The convolution is the phase-folded form of a convolution of an upsampled image
/// (`UpsampledConvPlan`): its K = 4k channels are four phases p = 2a+b of k, and the output tensor
/// is the image [N, 2H, 2W, k] they interleave, phase p of pixel (r, c) at (2r+a, 2c+b), activated.
struct PhaseInterleavedOutput: ConvOutput {
    let g: ConvGeometry, activation: LeakyDropout?
    let y: UnsafeMutablePointer<Float>
    var dy: UnsafeMutablePointer<Float>? = nil
    var k: Int { g.outChannels / 4 }

    @inline(__always) func offset(_ n: Int, _ r: Int, _ c: Int) -> Int {
        ((n * 2 * g.outHeight + r) * 2 * g.outWidth + c) * k
    }

    func store(_ v: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, n: Int, r: Int, c: Int) {
        for p in 0..<4 {
            let o = offset(n, 2 * r + p / 2, 2 * c + p % 2)
            LeakyDropout.write(activation, v + p * k, bias: bias + p * k, to: y + o, count: k, index: o)
        }
    }

    func gradient(into d: UnsafeMutablePointer<Float>, n: Int, r: Int, c: Int) {
        for p in 0..<4 {
            let o = offset(n, 2 * r + p / 2, 2 * c + p % 2)
            LeakyDropout.gradient(activation, dy! + o, output: y + o, into: d + p * k, count: k, add: false)
        }
    }
}
