import Datasets
import Foundation
import Tensor
import TestSupport
import VAEGAN
import XCTest

/// The notebook's networks at image shapes other than MNIST's, where no TensorFlow fixture exists
/// (the reference model is MNIST-shaped): a colour 32x32 training step against the float64
/// reference of the whole pass (`ModelReference`) and finite differences of its losses, as each op
/// is checked against its own reference (`checkOp`).
final class ScaledModelTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    static let colour32 = DataDescription(classes: DataDescription.digits.classes, side: 32, channels: 3)

    /// Weights drawn as a run draws them, with every bias moved off zero: zero biases meet the
    /// exact zeros that a 'same' convolution's padding gives, where LeakyReLU has a kink that a
    /// finite difference would straddle.
    func model(_ data: DataDescription, seed: UInt64) -> ModelWeights {
        var rng = RNG(seed: seed)
        let w = ModelWeights(latentDim: 8, data: data, rng: &rng)
        for name in w.names where name.hasSuffix(".bias") {
            rng.fillUniform(w[name].value.buffer, low: -0.05, high: 0.05)
        }
        return w
    }

    /// A batch of n images with every value inside (0, 1), labels 0, 1, ..., and the noises.
    func batch(_ data: DataDescription, n: Int, seed: UInt64) -> (Batch, eps: Tensor) {
        var rng = RNG(seed: seed)
        let x = randomTensor([n, data.side, data.side, data.channels], &rng, low: 0.01, high: 0.99)
        let y = Batch.oneHot((0..<n).map { ($0 * 3 + 1) % data.classes.count }, data: data)
        return (Batch(x: x, y: y, zp: Tensor.normal([n, 8], rng: &rng)), Tensor.normal([n, 8], rng: &rng))
    }

    func config(_ data: DataDescription, _ variant: LossVariant = .figures) -> ModelConfig {
        var c = ModelConfig(data: data, variant: variant)
        c.dropout = 0  // the reference has no masks to share
        return c
    }

    /// The float64 reference's convolution is `Reference.conv2d`, reordered for speed.
    func testTheReferenceConvolutionIsTheOpReferences() {
        var rng = RNG(seed: 30)
        for (x, w, stride) in [([2, 9, 8, 3], [7, 7, 3, 5], 2), ([1, 6, 6, 4], [5, 5, 4, 3], 1)] {
            let (xs, ws, bs) = (R(randomTensor(x, &rng)), R(randomTensor(w, &rng)), R(randomTensor([w[3]], &rng)))
            let fast = ModelReference.conv2d(xs, ws, bs, stride: stride)
            let plain = Reference.conv2d(xs, ws, bs, stride: stride)
            XCTAssertEqual(fast.shape, plain.shape)
            XCTAssertLessThan(maxAbs(zip(fast.values, plain.values).map { $0 - $1 }), 1e-12)
        }
    }

    /// Every loss of every variant, and the images and l features they come from, equal the float64
    /// pass at 32x32 colour, both ways of running the pass (batched over the decoder's and the
    /// discriminator's inputs, or one input at a time).
    func testColourForwardMatchesTheFloat64Reference() {
        let data = Self.colour32
        let weights = model(data, seed: 31)
        let (b, eps) = batch(data, n: 2, seed: 32)
        let reference = ModelReference(weights)
        for variant in LossVariant.allCases {
            let want = reference.pass(x: R(b.x), y: R(b.y), zp: R(b.zp), eps: R(eps), variant: variant)
            for batched in [true, false] {
                let net = Networks(weights: weights, config: config(data, variant), tape: Tape(training: true))
                let pass = ForwardPass(net, batch: b, eps: eps, batched: batched)
                let name = "\(variant) batched \(batched)"
                XCTAssertEqual(pass.reconstruction.shape, [2, 32, 32, 3], name)
                XCTAssertEqual(pass.lReal.shape, [2, 4, 4, 16], name)
                XCTAssertLessThan(
                    maxAbs(zip(pass.reconstruction.value.buffer, want.reconstruction.values).map { Double($0) - $1 }),
                    1e-5, "\(name): dec(enc(x))")
                XCTAssertLessThan(
                    relativeL2(pass.lReal.value.buffer.map(Double.init), want.lReal.values), 1e-5, "\(name): l(x)")
                for (what, got, expected) in [
                    ("L_prior", pass.prior, want.prior), ("L_GAN", pass.gan, want.gan),
                    ("L_dis_llike", pass.disLlike, want.disLlike)
                ] {
                    XCTAssertEqual(
                        Double(got.value[0]), expected, accuracy: 1e-5 * abs(expected) + 1e-9, "\(name): \(what)")
                }
            }
        }
    }

    /// The training step's gradients at 32x32 colour, batch 2: the D step's L_GAN into the
    /// discriminator, the G step's L_enc into the encoder and L_dec into the decoder (each pass run
    /// as the trainer runs it), and L_dis_llike into the l conv (`--train-l`). Each weight tensor's
    /// gradient g is held to a central finite difference of the float64 losses along a random
    /// direction v (g·v, every entry at once), and the tensors that read or draw the colour
    /// channels also entry by entry. Measured: 1e-7 to 4e-6 relative, but 4e-4 for the
    /// discriminator's conv1, whose step along all 18,816 weights swaps a few max-pool winners.
    ///
    /// Such a swap, or a LeakyReLU's sign changing, between −h and +h bends the finite difference,
    /// not the gradient, and the decoder's −L_GAN runs through the discriminator's kinks: at seed
    /// 43 the decoder's dense1 misses by 2.4% at h = 1e-6 (L_dis_llike's part agrees to 3e-4) and
    /// agrees to 7e-7 at h = 1e-8. So a miss is measured again with the step a hundredth as long
    /// before it counts: a wrong gradient misses at every step, a kink only at the longer ones.
    func testColourTrainingStepGradientsMatchFiniteDifferences() {
        checkColourTrainingStepGradients(seed: 33)
    }

    /// The same at a seed whose decoder check meets a kink at h = 1e-6.
    func testColourTrainingStepGradientsAtASeedWithAKink() {
        checkColourTrainingStepGradients(seed: 43)
    }

    func checkColourTrainingStepGradients(seed: UInt64) {
        let data = Self.colour32
        let weights = model(data, seed: seed)
        let (b, eps) = batch(data, n: 2, seed: seed + 1)
        let c = config(data)
        let reference = ModelReference(weights)
        func referenceLosses(_ r: ModelReference) -> ModelReference.Pass {
            r.pass(x: R(b.x), y: R(b.y), zp: R(b.zp), eps: R(eps), variant: c.variant)
        }
        /// The engine's gradients of `group`'s tensors for one backward of the trainer's.
        func engineGradients(batched: Bool, _ backward: (Tape, ForwardPass) -> Void) -> [String: [Double]] {
            let tape = Tape(training: true)
            let pass = ForwardPass(
                Networks(weights: weights, config: c, tape: tape), batch: b, eps: eps, batched: batched)
            backward(tape, pass)
            return weights.byName.compactMapValues { $0.grad.map { $0.buffer.map(Double.init) } }
        }
        let dStep = engineGradients(batched: true) { $0.backward([(loss: $1.gan, weight: 1)], into: .discriminator) }
        let encoder = engineGradients(batched: false) {
            $0.backward([(loss: $1.disLlike, weight: 1), (loss: $1.prior, weight: 1)], into: .encoder)
        }
        let decoder = engineGradients(batched: false) {
            $0.backward([(loss: $1.disLlike, weight: c.gamma), (loss: $1.gan, weight: -1)], into: .decoder)
        }
        let similarity = engineGradients(batched: true) {
            $0.backward([(loss: $1.disLlike, weight: 1)], into: .similarity)
        }
        let cases: [(group: ParamGroup, gradients: [String: [Double]], loss: (ModelReference.Pass) -> Double)] = [
            (.discriminator, dStep, { $0.gan }),
            (.encoder, encoder, { $0.disLlike + $0.prior }),
            (.decoder, decoder, { Double(c.gamma) * $0.disLlike - $0.gan }),
            (.similarity, similarity, { $0.disLlike })
        ]
        let colourTensors: Set = [
            "encoder.conv1.kernel", "discriminator.conv1.kernel", "decoder.conv3.kernel", "decoder.conv3.bias"
        ]
        var rng = RNG(seed: seed + 2)
        for (group, gradients, loss) in cases {
            for (name, _, tensorGroup) in weights.architecture.tensors where tensorGroup == group {
                guard let g = gradients[name] else {
                    XCTFail("\(name): no gradient from the \(group) step")
                    continue
                }
                let w = reference.weights[name]!
                /// The finite difference of the loss along `v` with step h, in float64.
                func along(_ v: [Double], h: Double) -> Double {
                    var plus = reference, minus = reference
                    plus.weights[name]!.values = zip(w.values, v).map { $0 + h * $1 }
                    minus.weights[name]!.values = zip(w.values, v).map { $0 - h * $1 }
                    return (loss(referenceLosses(plus)) - loss(referenceLosses(minus))) / (2 * h)
                }
                /// The finite difference at h = 1e-6, or at 1e-8 where that one misses `within`.
                func finiteDifference(_ v: [Double], near g: Double, within: (Double) -> Double) -> Double {
                    let long = along(v, h: 1e-6)
                    return abs(long - g) <= within(long) ? long : along(v, h: 1e-8)
                }
                let v = (0..<w.count).map { _ in Double(rng.uniformFloat()) * 2 - 1 }
                let terms = zip(g, v).map(*)
                let gv = terms.reduce(0, +), scale = terms.map { $0 * $0 }.reduce(0, +).squareRoot()
                let alongV = { (fd: Double) in 2e-3 * max(abs(fd), scale) + 1e-9 }
                let fd = finiteDifference(v, near: gv, within: alongV)
                XCTAssertLessThanOrEqual(abs(fd - gv), alongV(fd), "\(name): g·v \(gv), finite difference \(fd)")
                guard colourTensors.contains(name) else { continue }
                for _ in 0..<2 {
                    let k = rng.int(below: w.count)
                    var unit = [Double](repeating: 0, count: w.count)
                    unit[k] = 1
                    let alongK = { (fd: Double) in 2e-3 * abs(fd) + 1e-4 * maxAbs(g) }
                    let fdk = finiteDifference(unit, near: g[k], within: alongK)
                    XCTAssertLessThanOrEqual(
                        abs(fdk - g[k]), alongK(fdk), "\(name)[\(k)]: \(g[k]), finite difference \(fdk)")
                }
            }
        }
    }

    /// A whole training iteration (dropout on, as a run trains) at 64x64 colour and at 20x20 grey,
    /// where the discriminator pools an odd 5x5: every image and feature has its shape, every
    /// weight its gradient's shape, and the losses are finite.
    func testTrainingStepsRunAtOtherShapes() {
        for (side, channels) in [(64, 3), (20, 1)] {
            let data = DataDescription(classes: DataDescription.digits.classes, side: side, channels: channels)
            var rng = RNG(seed: 36)
            let set = DigitSet.noise(8, data: data, rng: &rng)
            let config = ModelConfig(data: data)
            let trainer = Trainer(
                config: config, weights: ModelWeights(latentDim: 8, data: data, rng: &rng), data: set, batchSize: 2,
                seed: 37)
            let b = Batch(set, indices: 0..<2, latentDim: 8, data: data, rng: &rng)
            XCTAssertEqual(b.x.shape, [2, side, side, channels])
            let f = (side + 7) / 8
            let name = "\(side)x\(side)x\(channels)"
            for pass in [trainer.discriminatorStep(b), trainer.generatorStep(b)] {
                XCTAssertEqual(pass.reconstruction.shape, [2, side, side, channels], name)
                XCTAssertEqual(pass.generated.shape, [2, side, side, channels], name)
                XCTAssertEqual(pass.lReal.shape, [2, f, f, 16], name)
                XCTAssertEqual(pass.dReal.shape, [2, 1], name)
                for loss in [pass.prior, pass.gan, pass.disLlike] { XCTAssertTrue(loss.value[0].isFinite, name) }
            }
            XCTAssertTrue(trainer.runIteration().isFinite, name)
            // Every weight's gradient, all losses into all groups at once (the optimisers clear theirs).
            let tape = Tape(training: true, rng: RNG(seed: 38))
            let pass = ForwardPass(
                Networks(weights: trainer.weights, config: config, tape: tape), batch: b,
                eps: Tensor.normal([2, 8], rng: &rng))
            tape.backward(
                [(loss: pass.gan, weight: 1), (loss: pass.disLlike, weight: 1), (loss: pass.prior, weight: 1)],
                into: [.encoder, .decoder, .discriminator, .similarity])
            for (weight, shape, _) in trainer.weights.architecture.tensors {
                XCTAssertEqual(trainer.weights[weight].grad?.shape, shape, "\(name): \(weight)")
                XCTAssertTrue(trainer.weights[weight].grad?.isFinite ?? false, "\(name): \(weight)")
            }
        }
    }

    /// What the decoder draws at 32x32 colour: images [N, S, S, C], and tiles [rows*S, columns*S, C]
    /// whose pixels keep their channels together.
    func testInferenceDrawsImagesAndTilesOfTheDataShape() {
        let data = Self.colour32
        let inference = Inference(weights: model(data, seed: 38), config: ModelConfig(data: data))
        let cells = inference.manifoldImages(label: 4, n: 3)
        XCTAssertEqual(cells.shape, [9, 32, 32, 3])
        let grid = inference.manifold(label: 4, n: 3)
        XCTAssertEqual(grid.shape, [96, 96, 3])
        // Cell (row 1, column 2), pixel (5, 7), channel 2, is at (32 + 5, 64 + 7) of the grid.
        XCTAssertEqual(grid[((32 + 5) * 96 + 64 + 7) * 3 + 2], cells[(((1 * 3 + 2) * 32 + 5) * 32 + 7) * 3 + 2])
        let (b, _) = batch(data, n: 2, seed: 39)
        XCTAssertEqual(inference.reconstruct(b.x, labels: b.y).shape, [2, 32, 32, 3])
        XCTAssertEqual(
            inference.restyle(b.x, from: 1, to: [0, 5, 9]).map(\.shape), Array(repeating: [2, 32, 32, 3], count: 3))
        let loop = Inference.latentLoop(steps: 3)
        XCTAssertEqual(inference.walkImages(loop: loop, labels: [2, 7]).shape, [6, 32, 32, 3])
    }

    /// Tiling grey cells gives MNIST's grids as they always were: [rows*28, columns*28, 1], the
    /// same values in the same order as cell rows laid side by side.
    func testTilingGreyCellsKeepsTheirOrder() {
        let cells = Tensor(shape: [6, 28, 28, 1])
        for i in 0..<cells.count { cells[i] = Float(i) }
        let grid = Inference.tile(cells, rows: 2, columns: 3)
        XCTAssertEqual(grid.shape, [56, 84, 1])
        var expected: [Float] = []
        for r in 0..<2 {
            for y in 0..<28 {
                for c in 0..<3 { expected += (0..<28).map { Float(((r * 3 + c) * 28 + y) * 28 + $0) } }
            }
        }
        XCTAssertEqual(grid.array, expected)
    }
}
