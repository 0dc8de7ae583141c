import Foundation
import Tensor
import TestSupport
import XCTest

/// Every op: fast forward and backward against the float64 reference, and the reference's
/// backward against finite differences (see `checkOp`).
final class OpGradientTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    func convCase(_ x: [Int], _ w: [Int], stride: Int, winograd: Bool = false, seed: UInt64) -> OpCase {
        var rng = RNG(seed: seed)
        return OpCase(
            name: "conv2d x\(x) w\(w) /\(stride)\(winograd ? " winograd" : "")",
            inputs: [randomTensor(x, &rng), randomTensor(w, &rng), randomTensor([w[3]], &rng)],
            fast: { t, v in t.conv2d(v[0], v[1], v[2], stride: stride, winograd: winograd) },
            reference: { Reference.conv2d($0[0], $0[1], $0[2], stride: stride) },
            referenceBackward: { i, dy in
                let g = Reference.conv2dBackward(i[0], i[1], dy: dy, stride: stride)
                return [g.dx, g.dw, g.db]
            })
    }

    func testConvolutionShapesOfTheModelAndOddOnes() {
        checkOp(convCase([2, 28, 28, 1], [3, 3, 1, 32], stride: 2, seed: 1))  // encoder conv1, pads (0,1)
        checkOp(convCase([2, 28, 28, 1], [7, 7, 1, 8], stride: 2, seed: 2))  // discriminator conv1, pads (2,3)
        checkOp(convCase([2, 7, 7, 13], [3, 3, 13, 6], stride: 1, seed: 3))  // 3x3 on 7x7 with odd channels
        checkOp(convCase([3, 14, 14, 8], [5, 5, 8, 4], stride: 1, seed: 4))  // decoder 5x5
        checkOp(convCase([2, 28, 28, 6], [5, 5, 6, 1], stride: 1, seed: 5))  // one output channel
        checkOp(convCase([1, 9, 5, 3], [3, 3, 3, 5], stride: 2, seed: 6))  // odd, non-square, stride 2
        checkOp(convCase([2, 6, 11, 2], [4, 2, 2, 3], stride: 2, seed: 7))  // even kernel
        checkOp(convCase([2, 9, 7, 3], [4, 2, 3, 1], stride: 1, seed: 8))  // one output channel, asymmetric padding
        checkOp(convCase([3, 9, 7, 1], [4, 3, 1, 5], stride: 1, seed: 9))  // one input channel, stride 1, non-square
        checkOp(convCase([1, 1, 1, 1], [1, 1, 1, 1], stride: 1, seed: 10))  // one pixel, one channel each side
    }

    /// One input channel and a weight gradient of 1,024+ entries: im2col + sgemm, in blocks of
    /// images (17 images: a second, partial block), with padding on every side.
    func testOneInputChannelWeightGradientAsSgemm() {
        for (k, (x, w, stride)) in [
            ([2, 28, 28, 1], [7, 7, 1, 24], 2),  // the discriminator's conv1, fewer outputs
            ([17, 9, 8, 1], [5, 5, 1, 48], 1)
        ].enumerated() {
            let g = ConvGeometry(input: x, kernel: w, stride: stride)
            XCTAssertEqual(
                ConvPasses.forGeometry(g, winograd: false).implementations["backward_weights"], "im2col + sgemm", "\(g)"
            )
            checkOp(convCase(x, w, stride: stride, seed: UInt64(40 + k)))
        }
    }

    /// 3x3 stride-1 convs with 16+ channels, where allowed, run as Winograd F(4x4, 3x3): whole and
    /// partial tiles, an image smaller than one tile, channel counts off the 8-wide vectors.
    func testWinogradConvolutions() {
        for (k, (x, w)) in [
            ([2, 7, 7, 16], [3, 3, 16, 24]),  // 7x7: the last tile row and column half outside
            ([1, 9, 5, 17], [3, 3, 17, 19]),  // non-square, odd channels
            ([3, 4, 4, 20], [3, 3, 20, 16]),  // exactly one tile
            ([1, 2, 1, 16], [3, 3, 16, 18]),  // smaller than a tile
            ([2, 14, 14, 32], [3, 3, 32, 16])
        ].enumerated() {  // the decoder's conv2, fewer images
            let g = ConvGeometry(input: x, kernel: w, stride: 1)
            XCTAssertEqual(ConvPasses.forGeometry(g, winograd: true).algorithm, .winograd, "\(g)")
            XCTAssertEqual(ConvPasses.forGeometry(g, winograd: false).algorithm, .oneDNN, "\(g)")
            checkOp(convCase(x, w, stride: 1, winograd: true, seed: UInt64(20 + k)))
        }
    }

    func testDense() {
        for (n, k, m) in [(3, 5, 4), (7, 31, 9), (1, 3146, 8)] {
            var rng = RNG(seed: UInt64(n * 1000 + k))
            checkOp(
                OpCase(
                    name: "dense \(n)x\(k)x\(m)",
                    inputs: [randomTensor([n, k], &rng), randomTensor([k, m], &rng), randomTensor([m], &rng)],
                    fast: { t, v in t.dense(v[0], v[1], v[2]) },
                    reference: { Reference.dense($0[0], $0[1], $0[2]) },
                    referenceBackward: { i, dy in
                        let g = Reference.denseBackward(i[0], i[1], dy: dy); return [g.dx, g.dw, g.db]
                    }))
        }
    }

    func testMaxPoolEvenAndOddSizes() {
        for shape in [[2, 14, 14, 5], [2, 7, 7, 3], [1, 5, 8, 2]] {
            var rng = RNG(seed: UInt64(shape[1]))
            checkOp(
                OpCase(
                    name: "maxpool \(shape)", inputs: [randomTensor(shape, &rng)],
                    fast: { t, v in t.maxPool2x2(v[0]) },
                    reference: { Reference.maxPool2x2($0[0]).y },
                    referenceBackward: { i, dy in [Reference.maxPool2x2Backward(i[0], dy: dy)] }))
        }
    }

    func testMaxPoolIgnoresPaddingAndSendsTiesToTheFirstMaximum() {
        // All-negative 3x3 input: 'same' pooling pads (0,1); a zero pad would win if it counted.
        let x = Variable(Tensor(shape: [1, 3, 3, 1], values: [-5, -4, -3, -2, -1, -6, -7, -8, -9]), groups: .test)
        let tape = Tape(training: false)
        let y = tape.maxPool2x2(x)
        XCTAssertEqual(y.shape, [1, 2, 2, 1])
        XCTAssertEqual(y.value.array, [-1, -3, -7, -9])
        // A tied window: the gradient goes to the top-left of the tied maxima only.
        let tied = Variable(Tensor(shape: [1, 2, 2, 1], values: [1, 1, 1, 1]), groups: .test)
        let z = tape.maxPool2x2(tied)
        tape.backward([(output: z, gradient: Tensor(shape: [1, 1, 1, 1], values: [1]))], into: .test)
        XCTAssertEqual(tied.grad?.array, [1, 0, 0, 0])
    }

    /// The phase-folded conv of an upsampled image against upsample-then-conv of the reference.
    func testUpsampledConvolutionEqualsConvolutionOfTheUpsampledImage() {
        for (k, (x, w)) in [
            ([2, 7, 7, 6], [5, 5, 6, 4]),  // the decoder's conv1, fewer channels
            ([1, 3, 5, 3], [3, 3, 3, 2]),  // non-square, 3x3
            ([2, 4, 4, 2], [7, 7, 2, 3]),  // kernel wider than the input
            ([1, 5, 3, 2], [4, 2, 2, 3]),  // even kernels: asymmetric 'same' padding
            ([2, 7, 7, 16], [5, 5, 16, 8])
        ].enumerated() {  // folded to 3x3 16->32: Winograd
            var rng = RNG(seed: UInt64(50 + k))
            checkOp(
                OpCase(
                    name: "upsampled conv x\(x) w\(w)",
                    inputs: [randomTensor(x, &rng), randomTensor(w, &rng), randomTensor([w[3]], &rng)],
                    fast: { t, v in t.upsampledConv2d(v[0], v[1], v[2], winograd: true) },
                    reference: { Reference.conv2d(Reference.upsample2x($0[0]), $0[1], $0[2], stride: 1) },
                    referenceBackward: { i, dy in
                        let up = Reference.upsample2x(i[0])
                        let g = Reference.conv2dBackward(up, i[1], dy: dy, stride: 1)
                        return [Reference.upsample2xBackward(i[0], dy: g.dx), g.dw, g.db]
                    }))
        }
    }

    func testUpsample() {
        var rng = RNG(seed: 11)
        checkOp(
            OpCase(
                name: "upsample", inputs: [randomTensor([2, 3, 5, 4], &rng)],
                fast: { t, v in t.upsample2x(v[0]) },
                reference: { Reference.upsample2x($0[0]) },
                referenceBackward: { i, dy in [Reference.upsample2xBackward(i[0], dy: dy)] }))
    }

    func unaryCase(
        _ name: String, _ u: Reference.Unary, low: Float = -2, high: Float = 2,
        _ fast: @escaping (Tape, Variable) -> Variable
    ) -> OpCase {
        var rng = RNG(seed: UInt64(name.utf8.count))
        return OpCase(
            name: name, inputs: [randomTensor([3, 5, 7], &rng, low: low, high: high)],
            fast: { t, v in fast(t, v[0]) },
            reference: { Reference.unary($0[0], u) },
            referenceBackward: { i, dy in [Reference.unaryBackward(i[0], u, dy: dy)] })
    }

    func testElementwise() {
        checkOp(unaryCase("leakyReLU", .leakyReLU()) { $0.leakyReLU($1) })
        checkOp(unaryCase("sigmoid", .sigmoid) { $0.sigmoid($1) })
        checkOp(unaryCase("exp", .exp) { $0.exp($1) })
        checkOp(unaryCase("log", .log, low: 0.1, high: 3) { $0.log($1) })
        checkOp(unaryCase("square", .square) { $0.square($1) })
        checkOp(unaryCase("affine", .affine(-0.25, 1e-3)) { $0.affine($1, scale: -0.25, shift: 1e-3) })
        checkOp(unaryCase("clip", .clip(-1, 1), low: -3, high: 3) { $0.clip($1, -1, 1) })
    }

    func testLeakyReLUHasSlopeZeroAtExactlyZero() {
        let tape = Tape(training: false)
        let x = Variable(Tensor(shape: [3], values: [-1, 0, 2]), groups: .test)
        let y = tape.leakyReLU(x, alpha: 0.3)
        XCTAssertEqual(y.value.array, [-0.3, 0, 2])
        tape.backward([(output: y, gradient: Tensor(shape: [3], repeating: 1))], into: .test)
        XCTAssertEqual(x.grad?.array, [0.3, 0, 1])
    }

    func testBinaryOpsAndSum() {
        var rng = RNG(seed: 21)
        let a = randomTensor([4, 6], &rng), b = randomTensor([4, 6], &rng)
        func zipped(_ f: @escaping (Double, Double) -> Double) -> ([R]) -> R {
            { R(shape: $0[0].shape, values: zip($0[0].values, $0[1].values).map(f)) }
        }
        checkOp(
            OpCase(
                name: "add", inputs: [a, b], fast: { $0.add($1[0], $1[1]) }, reference: zipped(+),
                referenceBackward: { _, dy in [dy, dy] }))
        checkOp(
            OpCase(
                name: "subtract", inputs: [a, b], fast: { $0.subtract($1[0], $1[1]) }, reference: zipped(-),
                referenceBackward: { _, dy in [dy, R(shape: dy.shape, values: dy.values.map { -$0 })] }))
        checkOp(
            OpCase(
                name: "multiply", inputs: [a, b], fast: { $0.multiply($1[0], $1[1]) }, reference: zipped(*),
                referenceBackward: { i, dy in
                    [
                        R(shape: dy.shape, values: zip(dy.values, i[1].values).map(*)),
                        R(shape: dy.shape, values: zip(dy.values, i[0].values).map(*))
                    ]
                }))
        checkOp(
            OpCase(
                name: "sum", inputs: [a], fast: { $0.sum($1[0]) },
                reference: { R(shape: [1], values: [$0[0].values.reduce(0, +)]) },
                referenceBackward: { i, dy in
                    [R(shape: i[0].shape, values: .init(repeating: dy.values[0], count: i[0].count))]
                }))
    }

    func testSigmoidCrossEntropy() {
        var rng = RNG(seed: 31)
        let labels = randomTensor([2, 4, 4, 3], &rng, low: 0, high: 1)
        let logits = randomTensor([2, 4, 4, 3], &rng, low: -6, high: 6)
        checkOp(
            OpCase(
                name: "sigmoid xent", inputs: [labels, logits],
                fast: { $0.sigmoidCrossEntropy(labels: $1[0], logits: $1[1]) },
                reference: { Reference.sigmoidCrossEntropy(labels: $0[0], logits: $0[1]) },
                referenceBackward: { i, dy in
                    let g = Reference.sigmoidCrossEntropyBackward(labels: i[0], logits: i[1], dy: dy)
                    return [g.dt, g.dx]
                }))
    }

    func testSoftmaxCrossEntropy() {
        var rng = RNG(seed: 32)
        // Soft labels (rows need not sum to one) exercise the general formula; one-hot the usual case.
        let soft = randomTensor([5, 10], &rng, low: 0, high: 1)
        let oneHot = Tensor(shape: [5, 10])
        for r in 0..<5 { oneHot[r * 10 + (r * 3) % 10] = 1 }
        for labels in [soft, oneHot] {
            let logits = randomTensor([5, 10], &rng, low: -8, high: 8)
            checkOp(
                OpCase(
                    name: "softmax xent", inputs: [labels, logits],
                    fast: { $0.softmaxCrossEntropy(labels: $1[0], logits: $1[1]) },
                    reference: { Reference.softmaxCrossEntropy(labels: $0[0], logits: $0[1]) },
                    referenceBackward: { i, dy in
                        let g = Reference.softmaxCrossEntropyBackward(labels: i[0], logits: i[1], dy: dy)
                        return [g.dt, g.dx]
                    }))
        }
        // Huge logits: the max is subtracted first, so nothing overflows.
        let tape = Tape(training: false)
        let big = tape.softmaxCrossEntropy(
            labels: Variable(Tensor(shape: [1, 3], values: [0, 1, 0])),
            logits: Variable(Tensor(shape: [1, 3], values: [1000, 1001, 0])))
        XCTAssertEqual(Double(big.value[0]), Foundation.log(1 + Foundation.exp(-1.0)), accuracy: 1e-6)
    }

    func testShapeOps() {
        var rng = RNG(seed: 41)
        let a = randomTensor([2, 3, 3, 4], &rng), b = randomTensor([2, 3, 3, 2], &rng)
        checkOp(
            OpCase(
                name: "concat channels", inputs: [a, b], fast: { $0.concatLast($1[0], $1[1]) },
                reference: { Reference.concatLast($0[0], $0[1]) },
                referenceBackward: { i, dy in
                    let ca = i[0].shape.last!, c = dy.shape.last!
                    var da: [Double] = [], db: [Double] = []
                    for r in 0..<(dy.count / c) {
                        da += dy.values[r * c..<r * c + ca]; db += dy.values[r * c + ca..<(r + 1) * c]
                    }
                    return [R(shape: i[0].shape, values: da), R(shape: i[1].shape, values: db)]
                }))
        let labels = randomTensor([3, 10], &rng)
        checkOp(
            OpCase(
                name: "label broadcast", inputs: [labels], fast: { $0.broadcastSpatial($1[0], height: 7, width: 7) },
                reference: { Reference.broadcastSpatial($0[0], height: 7, width: 7) },
                referenceBackward: { i, dy in
                    var d = R(zeros: i[0].shape)
                    for k in 0..<dy.count { d.values[(k / (49 * 10)) * 10 + k % 10] += dy.values[k] }
                    return [d]
                }))
        checkOp(
            OpCase(
                name: "reshape", inputs: [a], fast: { $0.reshape($1[0], [2, 36]) },
                reference: { R(shape: [2, 36], values: $0[0].values) },
                referenceBackward: { i, dy in [R(shape: i[0].shape, values: dy.values)] }))
        checkOp(
            OpCase(
                name: "rows", inputs: [a], fast: { $0.rows($1[0], 1..<2) },
                reference: { R(shape: [1, 3, 3, 4], values: Array($0[0].values[36..<72])) },
                referenceBackward: { i, dy in
                    var d = R(zeros: i[0].shape); d.values.replaceSubrange(36..<72, with: dy.values); return [d]
                }))
        checkOp(
            OpCase(
                name: "concat rows", inputs: [a, a.rows(0..<1)], fast: { $0.concatRows([$1[0], $1[1]]) },
                reference: { R(shape: [3, 3, 3, 4], values: $0[0].values + $0[1].values) },
                referenceBackward: { _, dy in
                    [
                        R(shape: [2, 3, 3, 4], values: Array(dy.values[0..<72])),
                        R(shape: [1, 3, 3, 4], values: Array(dy.values[72...]))
                    ]
                }))
    }

    func testDropoutKeepsScaledUnitsAndIsIdentityOutsideTraining() {
        let x = Variable(Tensor(shape: [10_000], repeating: 1), groups: .test)
        let eval = Tape(training: false)
        XCTAssertTrue(eval.dropout(x, rate: 0.3) === x)
        let train = Tape(training: true, rng: RNG(seed: 5))
        let y = train.dropout(x, rate: 0.3)
        let kept = y.value.buffer.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 })
        XCTAssertEqual(Double(kept.count) / 10_000, 0.7, accuracy: 0.02)
        train.backward([(output: y, gradient: Tensor(shape: [10_000], repeating: 1))], into: .test)
        XCTAssertEqual(x.grad!.array, y.value.array)  // same mask forward and backward
    }
}

final class FusedOpTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    /// One fused convolution case: the op with its epilogue, and the same as separate ops.
    struct EpilogueCase {
        let name: String, x: [Int], w: [Int]
        let fused: (Tape, [Variable]) -> Variable
        let separate: (Tape, [Variable]) -> Variable
    }

    func epilogueCases(winograd: Bool) -> [EpilogueCase] {
        let a = ConvEpilogue.activate(alpha: 0.3, dropout: 0.3),
            upA = ConvEpilogue.upsampleActivate(alpha: 0.3, dropout: 0.3)
        func act(_ t: Tape, _ v: Variable) -> Variable { t.leakyReLUDropout(v, alpha: 0.3, rate: 0.3) }
        // 7x7: the last Winograd tile half outside the image; 17 and 19 channels: off the 8-wide vectors.
        return [
            EpilogueCase(
                name: "conv · A", x: [3, 7, 7, 17], w: [3, 3, 17, 19],
                fused: { t, v in t.conv2d(v[0], v[1], v[2], winograd: winograd, then: a) },
                separate: { t, v in act(t, t.conv2d(v[0], v[1], v[2], winograd: winograd)) }),
            EpilogueCase(
                name: "conv · up · A", x: [2, 6, 5, 16], w: [3, 3, 16, 24],
                fused: { t, v in t.conv2d(v[0], v[1], v[2], winograd: winograd, then: upA) },
                separate: { t, v in act(t, t.upsample2x(t.conv2d(v[0], v[1], v[2], winograd: winograd))) }),
            // Folded to 3x3 16->32 on 7x7 (Winograd where allowed); its plain form is checked against
            // the reference in OpGradientTests.
            EpilogueCase(
                name: "up · conv · A", x: [2, 7, 7, 16], w: [5, 5, 16, 8],
                fused: { t, v in t.upsampledConv2d(v[0], v[1], v[2], winograd: winograd, then: a) },
                separate: { t, v in act(t, t.upsampledConv2d(v[0], v[1], v[2], winograd: winograd)) })
        ]
    }

    /// Output, input/kernel/bias gradients and the generator's state after, for one way of running.
    func train(_ c: EpilogueCase, fused: Bool, inputs: [Tensor], dy: Tensor) -> (y: [Float], grads: [[Float]], rng: RNG)
    {
        let vars = inputs.map { Variable($0.copy(), groups: .test) }
        let tape = Tape(training: true, rng: RNG(seed: 77))
        let y = (fused ? c.fused : c.separate)(tape, vars)
        tape.backward([(output: y, gradient: dy)], into: .test)
        return (y.value.array, vars.map { $0.grad!.array }, tape.rng)
    }

    /// In training (dropout on), each epilogue gives the same bits as the ops it fuses, on
    /// Winograd (fused into its transforms) and on the other kernels (a pass of its own): values,
    /// dropout masks (one draw each way), and every gradient.
    func testConvolutionEpiloguesEqualTheSeparateOps() {
        for winograd in [true, false] {
            for (k, c) in epilogueCases(winograd: winograd).enumerated() {
                var rng = RNG(seed: UInt64(90 + k))
                let inputs = [randomTensor(c.x, &rng), randomTensor(c.w, &rng), randomTensor([c.w[3]], &rng)]
                let shape = c.separate(Tape(training: false), inputs.map { Variable($0, groups: .test) }).shape
                let dy = randomTensor(shape, &rng)
                let fused = train(c, fused: true, inputs: inputs, dy: dy),
                    separate = train(c, fused: false, inputs: inputs, dy: dy)
                let name = "\(c.name)\(winograd ? " winograd" : "")"
                XCTAssertEqual(fused.y, separate.y, "\(name): values")
                XCTAssertTrue(fused.y.contains(0) && fused.y.contains { $0 < 0 }, "\(name): dropped and negative units")
                for i in 0..<3 { XCTAssertEqual(fused.grads[i], separate.grads[i], "\(name): gradient of input \(i)") }
                XCTAssertEqual(fused.rng, separate.rng, "\(name): random draws")
            }
        }
    }

    /// Outside training the epilogue is LeakyReLU alone: against the float64 reference and finite
    /// differences, like every op.
    func testConvolutionWithLeakyReLUAgainstTheReference() {
        var rng = RNG(seed: 95)
        let x = [2, 7, 7, 16], w = [3, 3, 16, 20]
        let leaky = Reference.Unary.leakyReLU()
        checkOp(
            OpCase(
                name: "conv · up · LeakyReLU winograd",
                inputs: [randomTensor(x, &rng), randomTensor(w, &rng), randomTensor([w[3]], &rng)],
                fast: { t, v in
                    t.conv2d(v[0], v[1], v[2], winograd: true, then: .upsampleActivate(alpha: 0.3, dropout: 0.3))
                },
                reference: {
                    Reference.unary(Reference.upsample2x(Reference.conv2d($0[0], $0[1], $0[2], stride: 1)), leaky)
                },
                referenceBackward: { i, dy in
                    let conv = Reference.conv2d(i[0], i[1], i[2], stride: 1), up = Reference.upsample2x(conv)
                    let dConv = Reference.upsample2xBackward(conv, dy: Reference.unaryBackward(up, leaky, dy: dy))
                    let g = Reference.conv2dBackward(i[0], i[1], dy: dConv, stride: 1)
                    return [g.dx, g.dw, g.db]
                }))
    }

    /// MaxPool · A · concat in one op gives the three ops' bits, in training and out of it: values,
    /// masks, the gradients of both inputs (odd sizes: windows with padded cells; ties in x).
    func testMaxPoolActivateConcatEqualsTheThreeOps() {
        var rng = RNG(seed: 96)
        let x = randomTensor([3, 7, 9, 11], &rng), extra = randomTensor([3, 4, 5, 6], &rng)
        x[1] = x[0]  // a tie inside the first window
        let dy = randomTensor([3, 4, 5, 17], &rng)
        for training in [true, false] {
            func run(_ fused: Bool) -> ([Float], [Float], [Float], RNG) {
                let v = Variable(x.copy(), groups: .test), e = Variable(extra.copy(), groups: .test)
                let tape = Tape(training: training, rng: RNG(seed: 78))
                let y =
                    fused
                    ? tape.maxPool2x2(v, activate: (0.3, 0.3), appending: e)
                    : tape.concatLast(tape.leakyReLUDropout(tape.maxPool2x2(v), alpha: 0.3, rate: 0.3), e)
                tape.backward([(output: y, gradient: dy)], into: .test)
                return (y.value.array, v.grad!.array, e.grad!.array, tape.rng)
            }
            let a = run(true), b = run(false)
            XCTAssertEqual(a.0, b.0, "training \(training): values")
            XCTAssertEqual(a.1, b.1, "training \(training): gradient of x")
            XCTAssertEqual(a.2, b.2, "training \(training): gradient of the appended channels")
            XCTAssertEqual(a.3, b.3, "training \(training): random draws")
            XCTAssertEqual(a.0.contains(0), training, "training \(training): dropped units")
        }
    }

    /// The fused "A" block gives bit-identical values, random draws and gradients to the two ops.
    func testLeakyReLUDropoutEqualsTheComposition() {
        var rng = RNG(seed: 8)
        let x = randomTensor([4, 6, 6, 5], &rng)
        x[0] = 0  // the slope-at-zero case
        let dy = randomTensor([4, 6, 6, 5], &rng)
        func run(_ fused: Bool) -> ([Float], [Float], RNG) {
            let v = Variable(x.copy(), groups: .test)
            let tape = Tape(training: true, rng: RNG(seed: 77))
            let y =
                fused
                ? tape.leakyReLUDropout(v, alpha: 0.3, rate: 0.3)
                : tape.dropout(tape.leakyReLU(v, alpha: 0.3), rate: 0.3)
            tape.backward([(output: y, gradient: dy)], into: .test)
            return (y.value.array, v.grad!.array, tape.rng)
        }
        let a = run(true), b = run(false)
        XCTAssertEqual(a.0, b.0)
        XCTAssertEqual(a.1, b.1)
        XCTAssertEqual(a.2, b.2)
    }
}
