import Foundation
import Tensor

/// Plain, obviously-correct double-precision versions of every op and its backward pass: direct
/// loops over the definitions, no tricks. Tests hold the fast ops to these, and hold these to
/// central finite differences.
public enum Reference {
    /// A double-precision array with a shape (row-major).
    public struct Array: Equatable {
        public var shape: [Int]
        public var values: [Double]
        public init(shape: [Int], values: [Double]) {
            precondition(values.count == shape.reduce(1, *))
            self.shape = shape; self.values = values
        }
        public init(zeros shape: [Int]) {
            self.init(shape: shape, values: .init(repeating: 0, count: shape.reduce(1, *)))
        }
        public init(_ t: Tensor) { self.init(shape: t.shape, values: t.buffer.map(Double.init)) }
        public var count: Int { values.count }
    }

    // MARK: convolution ('same' padding, NHWC, HWIO)

    public static func conv2d(_ x: Array, _ w: Array, _ b: Array, stride: Int) -> Array {
        let g = ConvGeometry(input: x.shape, kernel: w.shape, stride: stride)
        var y = Array(zeros: g.outputShape)
        forEachTap(g) { yi, xi, wi in y.values[yi] += x.values[xi] * w.values[wi] }
        for i in 0..<y.count { y.values[i] += b.values[i % g.outChannels] }
        return y
    }

    public static func conv2dBackward(_ x: Array, _ w: Array, dy: Array, stride: Int) -> (
        dx: Array, dw: Array, db: Array
    ) {
        let g = ConvGeometry(input: x.shape, kernel: w.shape, stride: stride)
        var dx = Array(zeros: x.shape), dw = Array(zeros: w.shape), db = Array(zeros: [g.outChannels])
        forEachTap(g) { yi, xi, wi in
            dx.values[xi] += dy.values[yi] * w.values[wi]
            dw.values[wi] += dy.values[yi] * x.values[xi]
        }
        for i in 0..<dy.count { db.values[i % g.outChannels] += dy.values[i] }
        return (dx, dw, db)
    }

    /// Calls body(output index, input index, kernel index) for every multiply of the convolution.
    /// Input row = out_row*stride + kernel_row - pad_before; taps outside the input are padding.
    private static func forEachTap(_ g: ConvGeometry, _ body: (Int, Int, Int) -> Void) {
        let ph = g.padH.before, pw = g.padW.before
        for n in 0..<g.batch {
            for oi in 0..<g.outHeight {
                for oj in 0..<g.outWidth {
                    for ki in 0..<g.kernelHeight {
                        for kj in 0..<g.kernelWidth {
                            let ii = oi * g.stride + ki - ph, jj = oj * g.stride + kj - pw
                            guard ii >= 0, ii < g.height, jj >= 0, jj < g.width else { continue }
                            for ci in 0..<g.inChannels {
                                for co in 0..<g.outChannels {
                                    let yi = ((n * g.outHeight + oi) * g.outWidth + oj) * g.outChannels + co
                                    let xi = ((n * g.height + ii) * g.width + jj) * g.inChannels + ci
                                    let wi = ((ki * g.kernelWidth + kj) * g.inChannels + ci) * g.outChannels + co
                                    body(yi, xi, wi)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: dense

    public static func dense(_ x: Array, _ w: Array, _ b: Array) -> Array {
        let (n, k, m) = (x.shape[0], x.shape[1], w.shape[1])
        var y = Array(zeros: [n, m])
        for r in 0..<n {
            for c in 0..<m {
                var s = b.values[c]
                for i in 0..<k { s += x.values[r * k + i] * w.values[i * m + c] }
                y.values[r * m + c] = s
            }
        }
        return y
    }

    public static func denseBackward(_ x: Array, _ w: Array, dy: Array) -> (dx: Array, dw: Array, db: Array) {
        let (n, k, m) = (x.shape[0], x.shape[1], w.shape[1])
        var dx = Array(zeros: x.shape), dw = Array(zeros: w.shape), db = Array(zeros: [m])
        for r in 0..<n {
            for c in 0..<m {
                let g = dy.values[r * m + c]
                db.values[c] += g
                for i in 0..<k {
                    dx.values[r * k + i] += g * w.values[i * m + c]
                    dw.values[i * m + c] += g * x.values[r * k + i]
                }
            }
        }
        return (dx, dw, db)
    }

    // MARK: pooling and upsampling

    /// Max-pool 2x2/2 'same'; returns the output and, per output, the index of the first maximum.
    public static func maxPool2x2(_ x: Array) -> (y: Array, argmax: [Int]) {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 1) / 2, ow = (w + 1) / 2
        var y = Array(zeros: [n, oh, ow, c])
        var argmax = [Int](repeating: -1, count: y.count)
        for b in 0..<n {
            for i in 0..<oh {
                for j in 0..<ow {
                    for ch in 0..<c {
                        let o = ((b * oh + i) * ow + j) * c + ch
                        for di in 0..<2 {
                            for dj in 0..<2 {
                                let (ii, jj) = (2 * i + di, 2 * j + dj)
                                guard ii < h, jj < w else { continue }  // padding never wins
                                let xi = ((b * h + ii) * w + jj) * c + ch
                                if argmax[o] < 0 || x.values[xi] > x.values[argmax[o]] { argmax[o] = xi }
                            }
                        }
                        y.values[o] = x.values[argmax[o]]
                    }
                }
            }
        }
        return (y, argmax)
    }

    public static func maxPool2x2Backward(_ x: Array, dy: Array) -> Array {
        let argmax = maxPool2x2(x).argmax
        var dx = Array(zeros: x.shape)
        for o in 0..<dy.count { dx.values[argmax[o]] += dy.values[o] }
        return dx
    }

    public static func upsample2x(_ x: Array) -> Array {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var y = Array(zeros: [n, 2 * h, 2 * w, c])
        for b in 0..<n {
            for i in 0..<(2 * h) {
                for j in 0..<(2 * w) {
                    for ch in 0..<c {
                        y.values[((b * 2 * h + i) * 2 * w + j) * c + ch] =
                            x.values[((b * h + i / 2) * w + j / 2) * c + ch]
                    }
                }
            }
        }
        return y
    }

    public static func upsample2xBackward(_ x: Array, dy: Array) -> Array {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var dx = Array(zeros: x.shape)
        for b in 0..<n {
            for i in 0..<(2 * h) {
                for j in 0..<(2 * w) {
                    for ch in 0..<c {
                        dx.values[((b * h + i / 2) * w + j / 2) * c + ch] +=
                            dy.values[((b * 2 * h + i) * 2 * w + j) * c + ch]
                    }
                }
            }
        }
        return dx
    }

    // MARK: elementwise

    /// A scalar function and its derivative, for the elementwise ops.
    public struct Unary: Sendable {
        public let f: @Sendable (Double) -> Double
        public let df: @Sendable (Double) -> Double
        public static func leakyReLU(_ a: Double = 0.3) -> Unary {
            Unary(f: { max($0, 0) - a * max(-$0, 0) }, df: { $0 > 0 ? 1 : ($0 < 0 ? a : 0) })
        }
        public static let sigmoid = Unary(
            f: { 1 / (1 + Foundation.exp(-$0)) },
            df: {
                let s = 1 / (1 + Foundation.exp(-$0)); return s * (1 - s)
            })
        public static let exp = Unary(f: { Foundation.exp($0) }, df: { Foundation.exp($0) })
        public static let log = Unary(f: { Foundation.log($0) }, df: { 1 / $0 })
        public static let square = Unary(f: { $0 * $0 }, df: { 2 * $0 })
        public static func affine(_ s: Double, _ t: Double) -> Unary { Unary(f: { $0 * s + t }, df: { _ in s }) }
        public static func clip(_ lo: Double, _ hi: Double) -> Unary {
            Unary(f: { min(max($0, lo), hi) }, df: { ($0 >= lo && $0 <= hi) ? 1 : 0 })
        }
    }

    public static func unary(_ x: Array, _ u: Unary) -> Array { Array(shape: x.shape, values: x.values.map(u.f)) }

    public static func unaryBackward(_ x: Array, _ u: Unary, dy: Array) -> Array {
        Array(shape: x.shape, values: zip(x.values, dy.values).map { u.df($0) * $1 })
    }

    /// max(x,0) - x*t + log(1+exp(-|x|)), elementwise.
    public static func sigmoidCrossEntropy(labels t: Array, logits x: Array) -> Array {
        Array(
            shape: x.shape,
            values: zip(t.values, x.values).map { t, x in
                max(x, 0) - x * t + Foundation.log(1 + Foundation.exp(-abs(x)))
            })
    }

    public static func sigmoidCrossEntropyBackward(labels t: Array, logits x: Array, dy: Array) -> (
        dt: Array, dx: Array
    ) {
        let dx = (0..<x.count).map { i in dy.values[i] * (1 / (1 + Foundation.exp(-x.values[i])) - t.values[i]) }
        let dt = (0..<x.count).map { i in -dy.values[i] * x.values[i] }
        return (Array(shape: t.shape, values: dt), Array(shape: x.shape, values: dx))
    }

    /// -sum_j t[n,j] * log softmax(x[n])_j per row of [N, C].
    public static func softmaxCrossEntropy(labels t: Array, logits x: Array) -> Array {
        let (n, c) = (x.shape[0], x.shape[1])
        return Array(
            shape: [n],
            values: (0..<n).map { r in
                let row = Swift.Array(x.values[r * c..<(r + 1) * c])
                let logSum = Foundation.log(row.map(Foundation.exp).reduce(0, +))
                return -(0..<c).map { t.values[r * c + $0] * (row[$0] - logSum) }.reduce(0, +)
            })
    }

    public static func softmaxCrossEntropyBackward(labels t: Array, logits x: Array, dy: Array) -> (
        dt: Array, dx: Array
    ) {
        let (n, c) = (x.shape[0], x.shape[1])
        var dt = [Double](repeating: 0, count: n * c), dx = dt
        for r in 0..<n {
            let row = Swift.Array(x.values[r * c..<(r + 1) * c])
            let total = row.map(Foundation.exp).reduce(0, +)
            let mass = t.values[r * c..<(r + 1) * c].reduce(0, +)
            for j in 0..<c {
                let p = Foundation.exp(row[j]) / total
                dx[r * c + j] = dy.values[r] * (p * mass - t.values[r * c + j])
                dt[r * c + j] = -dy.values[r] * Foundation.log(p)
            }
        }
        return (Array(shape: t.shape, values: dt), Array(shape: x.shape, values: dx))
    }

    // MARK: shapes

    public static func concatLast(_ a: Array, _ b: Array) -> Array {
        let ca = a.shape.last!, cb = b.shape.last!
        var v: [Double] = []
        for r in 0..<(a.count / ca) { v += a.values[r * ca..<(r + 1) * ca]; v += b.values[r * cb..<(r + 1) * cb] }
        return Array(shape: a.shape.dropLast() + [ca + cb], values: v)
    }

    public static func broadcastSpatial(_ x: Array, height: Int, width: Int) -> Array {
        let (n, c) = (x.shape[0], x.shape[1])
        var v: [Double] = []
        for b in 0..<n { for _ in 0..<(height * width) { v += x.values[b * c..<(b + 1) * c] } }
        return Array(shape: [n, height, width, c], values: v)
    }
}
