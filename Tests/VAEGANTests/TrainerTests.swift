import Foundation
import Tensor
import TestSupport
import VAEGAN
import XCTest

/// The trainer on its own: the losses it reports against the formulas, and which weights each
/// optimiser moves.
final class TrainerTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    func makeTrainer(_ config: ModelConfig = ModelConfig(data: .digits), batch: Int = 16, seed: UInt64 = 3) -> Trainer {
        var rng = RNG(seed: seed)
        return Trainer(
            config: config, weights: ModelWeights(latentDim: config.latentDim, data: .digits, rng: &rng),
            data: smallDataset().train, batchSize: batch, seed: seed)
    }

    /// The losses the trainer reports against the formulas of the three variants evaluated here, in
    /// double precision, on the tensors of the same forward pass.
    func testLossesEqualAnIndependentComputationOfTheFormulas() {
        for variant in LossVariant.allCases {
            let trainer = makeTrainer(ModelConfig(data: .digits, variant: variant))
            for _ in 0..<3 { _ = trainer.runIteration() }  // move away from the initial weights
            var rng = RNG(seed: 4)
            let batch = Batch(trainer.data, indices: 0..<16, latentDim: 8, data: .digits, rng: &rng)
            let pass = trainer.generatorStep(batch)
            let mu = pass.zMean.value.buffer.map(Double.init), lv = pass.zLogVar.value.buffer.map(Double.init)
            var prior = 0.0
            for (m, v) in zip(mu, lv) { let c = min(max(v, -2), 2); prior += 1 + c - m * m - exp(c) }
            prior *= (variant == .figures ? -0.125 : -0.5) / 784
            var gan = 0.0
            for i in 0..<16 {
                gan +=
                    log(Double(pass.dReal.value[i]) + 1e-10) + 2 * log(1 - Double(pass.dGenerated.value[i]) + 1e-10)
                    + log(1 - Double(pass.dReconstructed.value[i]) + 1e-10)
            }
            gan *= variant == .printed ? -0.25 / 784 : -0.25 / 16
            var llike = 0.0
            for (a, x) in zip(pass.lReal.value.buffer, pass.lReconstructed.value.buffer) {
                let a = Double(a), x = Double(x)
                switch variant {
                case .printed, .figures:
                    let t = 1 / (1 + exp(-a))
                    llike += max(x, 0) - x * t + log(1 + exp(-abs(x)))
                case .published:
                    llike += (a - x) * (a - x)
                }
            }
            llike /= 784
            XCTAssertEqual(Double(pass.prior.value[0]), prior, accuracy: 1e-5 * abs(prior) + 1e-9, "\(variant)")
            XCTAssertEqual(Double(pass.gan.value[0]), gan, accuracy: 1e-5 * abs(gan), "\(variant)")
            XCTAssertEqual(Double(pass.disLlike.value[0]), llike, accuracy: 1e-5 * abs(llike), "\(variant)")
        }
    }

    func changedGroups(_ trainer: Trainer, _ step: () -> Void) -> Set<String> {
        let before = trainer.weights.tensors.mapValues { $0.array }
        step()
        return Set(
            trainer.weights.names.filter { trainer.weights[$0].value.array != before[$0]! }.map {
                String($0.split(separator: ".")[0]) + ($0.contains("l_conv") ? ".l" : "")
            })
    }

    func testEachOptimiserChangesOnlyItsOwnGroupAndLStaysFixed() {
        let trainer = makeTrainer()
        var rng = RNG(seed: 5)
        let batch = Batch(trainer.data, indices: 0..<16, latentDim: 8, data: .digits, rng: &rng)
        XCTAssertEqual(changedGroups(trainer) { trainer.discriminatorStep(batch) }, ["discriminator"])
        XCTAssertEqual(changedGroups(trainer) { trainer.generatorStep(batch) }, ["encoder", "decoder"])
        XCTAssertEqual(
            changedGroups(trainer) { for _ in 0..<3 { _ = trainer.runIteration() } },
            ["encoder", "decoder", "discriminator"])
        var config = ModelConfig(data: .digits)
        config.trainSimilarity = true
        let withL = makeTrainer(config)
        XCTAssertEqual(changedGroups(withL) { withL.discriminatorStep(batch) }, ["discriminator", "discriminator.l"])
    }

    func testThePlainCVAETrainsEncoderAndDecoderOnly() {
        let trainer = makeTrainer(ModelConfig(data: .digits, kind: .cvae))
        var log: IterationLog!
        XCTAssertEqual(changedGroups(trainer) { log = trainer.runIteration() }, ["encoder", "decoder"])
        XCTAssertTrue(log.gan.isNaN)
        XCTAssertEqual(log.discriminatorSteps, 0)
    }
}

/// The balancing loop on its own: given the L_GAN each step reports, the exact D and G step
/// counts and where new batches are drawn.
final class BalancingTests: XCTestCase {
    /// Runs the loop on scripted L_GAN values; returns the counts and the event order.
    func run(d: [Float], g: [Float]) -> (Int, Int, String) {
        var events = "", di = 0, gi = 0
        let (dSteps, gSteps) = Balancing.run(
            newBatch: { events += "b" },
            discriminatorStep: {
                events += "D"; defer { di += 1 }; return d[di]
            },
            generatorStep: {
                events += "G"; defer { gi += 1 }; return g[gi]
            })
        return (dSteps, gSteps, events)
    }

    func testStepCountsFollowTheThresholds() {
        // D stops as soon as L_GAN < 1.0; G as soon as L_GAN > 0.4.
        XCTAssertTrue(run(d: [0.7], g: [0.5]) == (1, 1, "DG"))
        XCTAssertTrue(run(d: [1.2, 0.9], g: [0.3, 0.41]) == (2, 2, "DbDGbG"))
        XCTAssertTrue(
            run(d: [1.5, 1.4, 1.3], g: [0.1, 0.2, 0.3]) == (3, 3, "DbDbDGbGbGb"),
            "at most 3 each; a new batch after the last G too")
        // The thresholds themselves do not stop the loops (strict comparisons, as in the notebook).
        XCTAssertTrue(run(d: [1.0, 1.0, 1.0], g: [0.4, 0.4, 0.4]) == (3, 3, "DbDbDGbGbGb"))
        XCTAssertTrue(run(d: [0.99], g: [0.4, 0.400001]) == (1, 2, "DGbG"))
    }

    /// `batchesTaken` (what a resume checks a checkpoint's data position with) from the counts and
    /// the last L_GAN alone, against the batches the loop drew (the first, then each `b`), over
    /// every outcome of up to three steps each.
    func testBatchesTakenFollowFromTheLoggedCountsAndLastLoss() {
        let dOutcomes: [[Float]] = [[0.5], [1.5, 0.5], [1.5, 1.5, 0.5], [1.5, 1.5, 1.5]]
        let gOutcomes: [[Float]] = [[0.5], [0.1, 0.5], [0.1, 0.1, 0.5], [0.1, 0.1, 0.1], [0.1, 0.1, 0.4]]
        for d in dOutcomes {
            for g in gOutcomes {
                let (dSteps, gSteps, events) = run(d: d, g: g)
                let drawn = 1 + events.filter { $0 == "b" }.count
                XCTAssertEqual(
                    Balancing.batchesTaken(discriminatorSteps: dSteps, generatorSteps: gSteps, lastGAN: g[gSteps - 1]),
                    drawn, "\(events)")
            }
        }
    }
}
