import Foundation
import Tensor
import TestSupport
import VAEGAN
import XCTest

/// Shared dropout masks (`DropoutMasks.shared`): every application of a network in one step drops
/// the same units, each network its own, and independent masks stay as they were.
final class DropoutMaskTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    func model() -> (ModelWeights, Batch) {
        var rng = RNG(seed: 11)
        let w = ModelWeights(latentDim: 8, data: .digits, rng: &rng)
        let batch = Batch(smallDataset().train, indices: 0..<8, latentDim: 8, data: .digits, rng: &rng)
        return (w, batch)
    }

    /// The discriminator applied twice to one image on one tape: the same output when masks are
    /// shared (the same units dropped), other outputs when each application draws its own.
    func testApplicationsOfOneNetworkDropTheSameUnits() {
        let (w, batch) = model()
        for shared in [true, false] {
            let tape = Tape(training: true, rng: RNG(seed: 3))
            if shared { tape.shareMasksAcrossApplications() }
            let net = Networks(weights: w, config: ModelConfig(data: .digits), tape: tape)
            let x = Variable(batch.x), y = Variable(batch.y)
            let first = net.discriminate(x, y), second = net.discriminate(x, y)
            let plain = Networks(weights: w, config: ModelConfig(data: .digits), tape: .inference()).discriminate(x, y)
            XCTAssertEqual(first.l.value.array == second.l.value.array, shared, "shared \(shared): l")
            XCTAssertEqual(first.d.value.array == second.d.value.array, shared, "shared \(shared): d")
            XCTAssertNotEqual(first.l.value.array, plain.l.value.array, "dropout is on in both")
            // The decoder applied between them draws its own masks, not the discriminator's.
            let z = Variable(batch.zp)
            let a = net.decode(z, y), b = net.decode(z, y)
            XCTAssertEqual(a.value.array == b.value.array, shared, "shared \(shared): decoder")
        }
    }

    /// A D step of a trainer set to shared masks computes what a tape sharing its masks computes
    /// from the same dropout stream, one application per input; a trainer set to independent
    /// masks does not (it must not share).
    func testTheTrainerSharesMasksWhenSetTo() {
        let (w, batch) = model()
        var rng = RNG(seed: 2)
        let eps = Tensor.normal([8, 8], rng: &rng)
        for masks in DropoutMasks.allCases {
            var config = ModelConfig(data: .digits)
            config.dropoutMasks = masks
            let weights = ModelWeights(latentDim: 8, data: .digits, rng: &rng)
            for name in w.names { _ = weights[name].value.buffer.update(from: w[name].value.array) }
            let trainer = Trainer(config: config, weights: weights, data: smallDataset().train, batchSize: 8, seed: 1)
            let tape = Tape(training: true, rng: trainer.dropoutRNG)
            tape.shareMasksAcrossApplications()
            let byHand = ForwardPass(
                Networks(weights: weights, config: config, tape: tape), batch: batch, eps: eps, batched: false)
            let step = trainer.discriminatorStep(batch, eps: eps)
            XCTAssertEqual(step.gan.value[0] == byHand.gan.value[0], masks == .shared, "\(masks)")
        }
    }
}
