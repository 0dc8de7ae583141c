import Foundation
import Tensor
import TestSupport
import XCTest

/// The ops on the model's path at the image shapes a model may take besides MNIST's (sides 16,
/// 20, 32, 64; grey or colour), against the float64 reference and finite differences (`checkOp`):
/// the first convolutions reading 3 channels, the last drawing 3, the Winograd layers on the
/// S/4 images (4x4 to 16x16, whole and partial tiles), max-pooling of even and odd sizes, the
/// label planes; and the fused epilogues against the ops they fuse (`FusedOpTests`).
extension OpGradientTests {
    /// The layers whose channels follow the data's: the encoder's 3x3/2 and the discriminator's
    /// 7x7/2 on colour images, the decoder's last 5x5 drawing 3 channels; and the grey ones at a
    /// side MNIST's kernels were not tuned for.
    func testConvolutionsReadingOrDrawingTheDataChannels() {
        checkOp(convCase([1, 32, 32, 3], [3, 3, 3, 32], stride: 2, seed: 60))  // encoder.conv1, 32x32x3
        checkOp(convCase([1, 64, 64, 3], [3, 3, 3, 8], stride: 2, seed: 61))  // encoder.conv1, 64x64x3, fewer outputs
        checkOp(convCase([1, 20, 20, 3], [7, 7, 3, 16], stride: 2, seed: 62))  // discriminator.conv1, 20x20x3
        checkOp(convCase([2, 20, 20, 1], [7, 7, 1, 24], stride: 2, seed: 63))  // discriminator.conv1, 20x20x1
        checkOp(convCase([1, 16, 16, 32], [5, 5, 32, 3], stride: 1, seed: 64))  // decoder.conv3, 16x16x3
        checkOp(convCase([2, 20, 20, 8], [5, 5, 8, 1], stride: 1, seed: 65))  // decoder.conv3, 20x20x1, fewer inputs
        // The kernels chosen for the colour layers (measured, `FewInputConv`, `FewOutputConv`).
        let first = ConvPasses.forGeometry(
            ConvGeometry(input: [6, 32, 32, 3], kernel: [7, 7, 3, 128], stride: 2), winograd: false)
        XCTAssertEqual(first.implementations["backward_data"], "sgemm + col2im")
        XCTAssertNotEqual(first.implementations["backward_weights"], "im2col + sgemm")
        let last = ConvPasses.forGeometry(
            ConvGeometry(input: [4, 32, 32, 32], kernel: [5, 5, 32, 3], stride: 1), winograd: false)
        XCTAssertEqual(last.algorithm, .fewOutputs)
        XCTAssertEqual(last.implementations["forward"], "sgemm + shifted adds")
    }

    /// The two layers that run Winograd's algorithm where allowed, at S/4 for S = 16, 20, 32, 64:
    /// the discriminator's conv2 (128 + classes channels in; fewer here) and the decoder's
    /// upsampled conv1, folded to a 3x3 conv of the S/4 image.
    func testWinogradLayersAtEverySide() {
        for (k, q) in [4, 5, 8, 16].enumerated() {
            let g = ConvGeometry(input: [1, q, q, 26], kernel: [3, 3, 26, 16], stride: 1)
            XCTAssertEqual(ConvPasses.forGeometry(g, winograd: true).algorithm, .winograd, "\(g)")
            checkOp(convCase([1, q, q, 26], [3, 3, 26, 16], stride: 1, winograd: true, seed: UInt64(70 + k)))
            var rng = RNG(seed: UInt64(75 + k))
            let (x, w) = ([1, q, q, 16], [5, 5, 16, 8])
            XCTAssertEqual(
                UpsampledConv.geometry(input: x, kernel: w),
                ConvGeometry(input: x, kernel: [3, 3, 16, 32], stride: 1), "folded at \(q)x\(q)")
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

    /// Max-pooling at the sizes the networks pool: S/2 (8 to 32, even) and S/4 (4, 5, 8, 16; odd at 20).
    func testMaxPoolAtTheScaledSizes() {
        for shape in [[2, 10, 10, 3], [2, 5, 5, 4], [1, 16, 16, 2], [1, 3, 3, 5], [1, 32, 32, 3]] {
            var rng = RNG(seed: UInt64(80 + shape[1]))
            checkOp(
                OpCase(
                    name: "maxpool \(shape)", inputs: [randomTensor(shape, &rng)],
                    fast: { t, v in t.maxPool2x2(v[0]) },
                    reference: { Reference.maxPool2x2($0[0]).y },
                    referenceBackward: { i, dy in [Reference.maxPool2x2Backward(i[0], dy: dy)] }))
        }
    }

    /// The label planes beside the discriminator's pooled features, at S/4 x S/4 for S = 20 and 64.
    func testLabelPlanesAtTheScaledSizes() {
        for side in [5, 16] {
            var rng = RNG(seed: UInt64(90 + side))
            checkOp(
                OpCase(
                    name: "label broadcast \(side)x\(side)", inputs: [randomTensor([2, 10], &rng)],
                    fast: { $0.broadcastSpatial($1[0], height: side, width: side) },
                    reference: { Reference.broadcastSpatial($0[0], height: side, width: side) },
                    referenceBackward: { i, dy in
                        var d = R(zeros: i[0].shape)
                        for k in 0..<dy.count { d.values[(k / (side * side * 10)) * 10 + k % 10] += dy.values[k] }
                        return [d]
                    }))
        }
    }
}

extension FusedOpTests {
    /// The fused epilogues at the networks' sizes for S = 20 (odd S/4 = 5) and 32: the same bits
    /// as the ops they fuse, values, masks and gradients, on Winograd and off.
    func testEpiloguesAtTheScaledSizes() {
        let a = ConvEpilogue.activate(alpha: 0.3, dropout: 0.3),
            upA = ConvEpilogue.upsampleActivate(alpha: 0.3, dropout: 0.3)
        func act(_ t: Tape, _ v: Variable) -> Variable { t.leakyReLUDropout(v, alpha: 0.3, rate: 0.3) }
        for winograd in [true, false] {
            let cases = [
                EpilogueCase(
                    name: "conv · A 5x5", x: [2, 5, 5, 26], w: [3, 3, 26, 16],
                    fused: { t, v in t.conv2d(v[0], v[1], v[2], winograd: winograd, then: a) },
                    separate: { t, v in act(t, t.conv2d(v[0], v[1], v[2], winograd: winograd)) }),
                EpilogueCase(
                    name: "conv · up · A 10x10", x: [2, 10, 10, 16], w: [3, 3, 16, 16],
                    fused: { t, v in t.conv2d(v[0], v[1], v[2], winograd: winograd, then: upA) },
                    separate: { t, v in act(t, t.upsample2x(t.conv2d(v[0], v[1], v[2], winograd: winograd))) }),
                EpilogueCase(
                    name: "up · conv · A 8x8", x: [2, 8, 8, 16], w: [5, 5, 16, 8],
                    fused: { t, v in t.upsampledConv2d(v[0], v[1], v[2], winograd: winograd, then: a) },
                    separate: { t, v in act(t, t.upsampledConv2d(v[0], v[1], v[2], winograd: winograd)) }),
                EpilogueCase(
                    name: "conv/2 · A 32x32x3", x: [2, 32, 32, 3], w: [3, 3, 3, 16],
                    fused: { t, v in t.conv2d(v[0], v[1], v[2], stride: 2, then: a) },
                    separate: { t, v in act(t, t.conv2d(v[0], v[1], v[2], stride: 2)) })
            ]
            for (k, c) in cases.enumerated() {
                var rng = RNG(seed: UInt64(100 + k))
                let inputs = [randomTensor(c.x, &rng), randomTensor(c.w, &rng), randomTensor([c.w[3]], &rng)]
                let shape = c.separate(Tape(training: false), inputs.map { Variable($0, groups: .test) }).shape
                let dy = randomTensor(shape, &rng)
                let fused = train(c, fused: true, inputs: inputs, dy: dy),
                    separate = train(c, fused: false, inputs: inputs, dy: dy)
                let name = "\(c.name)\(winograd ? " winograd" : "")"
                XCTAssertEqual(fused.y, separate.y, "\(name): values")
                for i in 0..<3 { XCTAssertEqual(fused.grads[i], separate.grads[i], "\(name): gradient of input \(i)") }
                XCTAssertEqual(fused.rng, separate.rng, "\(name): random draws")
            }
        }
    }

    /// MaxPool · A · concat labels at the discriminator's sizes for S = 20 (10 -> 5, 5 -> 3) and 64.
    func testMaxPoolActivateConcatAtTheScaledSizes() {
        for (x, extra) in [
            ([3, 10, 10, 8], [3, 5, 5, 10]), ([2, 5, 5, 8], [2, 3, 3, 10]), ([2, 32, 32, 4], [2, 16, 16, 10])
        ] {
            var rng = RNG(seed: UInt64(110 + x[1]))
            let xs = randomTensor(x, &rng), es = randomTensor(extra, &rng)
            let dy = randomTensor([x[0], extra[1], extra[2], x[3] + extra[3]], &rng)
            func run(_ fused: Bool) -> ([Float], [Float], [Float], RNG) {
                let v = Variable(xs.copy(), groups: .test), e = Variable(es.copy(), groups: .test)
                let tape = Tape(training: true, rng: RNG(seed: 79))
                let y =
                    fused
                    ? tape.maxPool2x2(v, activate: (0.3, 0.3), appending: e)
                    : tape.concatLast(tape.leakyReLUDropout(tape.maxPool2x2(v), alpha: 0.3, rate: 0.3), e)
                tape.backward([(output: y, gradient: dy)], into: .test)
                return (y.value.array, v.grad!.array, e.grad!.array, tape.rng)
            }
            let a = run(true), b = run(false)
            XCTAssertEqual(a.0, b.0, "\(x): values")
            XCTAssertEqual(a.1, b.1, "\(x): gradient of x")
            XCTAssertEqual(a.2, b.2, "\(x): gradient of the appended channels")
            XCTAssertEqual(a.3, b.3, "\(x): random draws")
        }
    }
}
