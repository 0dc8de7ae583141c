import Datasets
import Foundation
import RunFolder
import RunModel
import Tensor
import TestSupport
import VAEGAN
import XCTest

/// The training loop against the notebook's own framework over many steps. Both programs start
/// from one set of weights and are fed the same batches, z_p and eps (scripts/reference/
/// lockstep_tf.py runs the notebook's graph under TensorFlow; scripts/make_fixtures.sh writes
/// Fixtures/lockstep.*). One step agreeing (ReferenceFixtureTests) leaves out what only a loop
/// shows: the balancing thresholds, the optimisers' state, and how dropout masks are drawn.
final class LockstepTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    /// The loop fed from a noise file: the k-th batch drawn is `draw_indices[k]` with `draw_zp[k]`,
    /// the s-th step (D or G) takes `step_eps[s]`.
    struct FedLoop {
        let trainer: Trainer
        let train: DigitSet
        let indices: Tensor, zp: Tensor, eps: Tensor
        var draw = 0, step = 0

        init(trainer: Trainer, train: DigitSet, noise: [String: Tensor]) throws {
            self.trainer = trainer
            self.train = train
            indices = try XCTUnwrap(noise["draw_indices"])
            zp = try XCTUnwrap(noise["draw_zp"])
            eps = try XCTUnwrap(noise["step_eps"])
        }

        mutating func nextBatch() -> Batch {
            defer { draw += 1 }
            let row = (0..<64).map { Int(indices[draw * 64 + $0]) }
            return Batch(
                x: Batch.images(train, row), y: Batch.oneHot(row.map { Int(train.labels[$0]) }, data: .digits),
                zp: slice(zp, draw))
        }

        mutating func nextEps() -> Tensor {
            defer { step += 1 }
            return slice(eps, step)
        }

        func slice(_ t: Tensor, _ k: Int) -> Tensor {
            let out = Tensor(shape: [64, 8])
            for i in 0..<512 { out[i] = t[k * 512 + i] }
            return out
        }

        /// What one iteration did: as `IterationLog`, the losses of its last G step.
        struct Row { let d: Int, g: Int, prior: Float, llike: Float, gan: Float }

        /// One outer iteration, as `Trainer.runIteration` but fed.
        mutating func iteration() -> Row {
            var batch = nextBatch()
            var last: ForwardPass!
            var me = self
            let (d, g) = Balancing.run(
                newBatch: { batch = me.nextBatch() },
                discriminatorStep: { me.trainer.discriminatorStep(batch, eps: me.nextEps()).gan.value[0] },
                generatorStep: {
                    last = me.trainer.generatorStep(batch, eps: me.nextEps())
                    return last.gan.value[0]
                })
            self = me
            return Row(d: d, g: g, prior: last.prior.value[0], llike: last.disLlike.value[0], gan: last.gan.value[0])
        }
    }

    static func fixture() throws -> [String: Tensor] {
        try ReferenceFixtureTests.load("lockstep.safetensors")
    }

    func loop(_ config: ModelConfig, noise: [String: Tensor]) throws -> FedLoop {
        try requireMNIST()
        let train = try Dataset.load(directory: mnistDirectory).train
        let w = try ModelWeights(
            tensors: ReferenceFixtureTests.load("weights0.safetensors"), latentDim: 8, data: .digits)
        let trainer = Trainer(config: config, weights: w, data: train, batchSize: 64, seed: 0)
        return try FedLoop(trainer: trainer, train: train, noise: noise)
    }

    /// With dropout off both programs compute one function: thirty iterations take the same D and
    /// G steps and report the same losses, to float32 rounding carried through the steps.
    func testThirtyIterationsWalkWithTensorFlow() throws {
        let noise = try Self.fixture()
        var config = ModelConfig(data: .digits, variant: .figures)
        config.dropout = 0
        var fed = try loop(config, noise: noise)
        let reference = try XCTUnwrap(noise["trajectory.L_dis_llike"])
        for i in 0..<reference.count {
            let row = fed.iteration()
            XCTAssertEqual(row.d, Int(noise["trajectory.d_steps"]![i]), "D steps of iteration \(i)")
            XCTAssertEqual(row.g, Int(noise["trajectory.g_steps"]![i]), "G steps of iteration \(i)")
            for (name, ours) in [("L_prior", row.prior), ("L_dis_llike", row.llike), ("L_GAN", row.gan)] {
                let theirs = noise["trajectory." + name]![i]
                XCTAssertEqual(ours, theirs, accuracy: 1e-4 * abs(theirs), "\(name) of iteration \(i)")
            }
        }
    }

    /// TensorFlow's mean L_dis_llike over 100 dropout draws (dropout in the discriminator only, at
    /// the starting weights, on the first fed batch), with each application's own masks (the
    /// notebook under Keras 2.0) and with notebook_4d456ec.py's graph seed, under which every
    /// application of the discriminator drops the same units. Ours, `independent` and `shared`,
    /// must land within four standard errors of each; the two settings lie hundreds apart.
    func testDropoutMasksAsTheNotebookAndItsPortDrawThem() throws {
        let noise = try Self.fixture()
        let data = try Data(contentsOf: URL(fileURLWithPath: ReferenceFixtureTests.fixtures + "/lockstep.json"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        var fed = try loop(ModelConfig(data: .digits, variant: .figures), noise: noise)
        let batch = fed.nextBatch(), eps = fed.nextEps()
        let w = fed.trainer.weights
        for (masks, theirs) in [(DropoutMasks.independent, "independent"), (.shared, "graph-seed")] {
            let reference = try XCTUnwrap(json[theirs]?["L_dis_llike"] as? Double)
            let referenceError = try XCTUnwrap((json[theirs]?["sd_of_mean"] as? [String: Double])?["L_dis_llike"])
            let (mean, error) = Self.meanLlike(w, batch: batch, eps: eps, masks: masks, draws: 100)
            let bound = 4 * (error * error + referenceError * referenceError).squareRoot()
            XCTAssertEqual(mean, reference, accuracy: bound, "\(masks) masks against TensorFlow's \(theirs)")
        }
    }

    /// L_dis_llike's mean (and standard error) over `draws` forwards with dropout in the
    /// discriminator only: the encoder and decoder run without it, as lockstep_tf.py's
    /// --dropout-in discriminator.
    static func meanLlike(_ w: ModelWeights, batch: Batch, eps: Tensor, masks: DropoutMasks, draws: Int)
        -> (mean: Double, error: Double)
    {
        var quiet = ModelConfig(data: .digits, variant: .figures)
        quiet.dropout = 0
        var rng = RNG(seed: 5)
        var sum = 0.0, squares = 0.0
        for _ in 0..<draws {
            let tape = Tape(training: true, rng: RNG(seed: rng.next()))
            if masks == .shared { tape.shareMasksAcrossApplications() }
            let generator = Networks(weights: w, config: quiet, tape: tape)
            let critic = Networks(weights: w, config: ModelConfig(data: .digits, variant: .figures), tape: tape)
            let x = Variable(batch.x), y = Variable(batch.y)
            let (mean, logVar) = generator.encode(x, y)
            let reconstruction = generator.decode(generator.sample(mean: mean, logVar: logVar, eps: Variable(eps)), y)
            let lReal = critic.discriminate(x, y).l, lReconstructed = critic.discriminate(reconstruction, y).l
            let xent = tape.sigmoidCrossEntropy(labels: tape.sigmoid(lReal), logits: lReconstructed)
            let v = Double(tape.sum(xent).value[0]) / 784
            sum += v
            squares += v * v
        }
        let m = sum / Double(draws)
        return (m, ((squares / Double(draws) - m * m) / Double(draws)).squareRoot())
    }

    /// By hand (VAEGAN_LOCKSTEP_DIR holding weights0.safetensors and a longer noise.safetensors
    /// from lockstep_tf.py): VAEGAN_LOCKSTEP_ITERATIONS iterations with dropout on or off
    /// (VAEGAN_LOCKSTEP_DROPOUT) and VAEGAN_LOCKSTEP_MASKS, written to VAEGAN_LOCKSTEP_OUT in that
    /// folder, for comparing the two programs' statistics over a longer run. Without the
    /// variable, this checks only that the fixture's noise drives the loop.
    func testLongerWalkByHand() throws {
        let env = ProcessInfo.processInfo.environment
        let dir = env["VAEGAN_LOCKSTEP_DIR"]
        let noise = try dir.map { try SafeTensors.read(path: $0 + "/noise.safetensors").arrays.mapValues(Tensor.init) }
        var config = ModelConfig(data: .digits, variant: .figures)
        if dir != nil && env["VAEGAN_LOCKSTEP_DROPOUT"] != "on" { config.dropout = 0 }
        config.dropoutMasks = DropoutMasks(rawValue: env["VAEGAN_LOCKSTEP_MASKS"] ?? "") ?? .independent
        var fed = try loop(config, noise: try noise ?? Self.fixture())
        if let dir {
            let w = try ModelWeights(
                tensors: SafeTensors.read(path: dir + "/weights0.safetensors").arrays.mapValues(Tensor.init),
                latentDim: 8, data: .digits)
            for name in w.names { _ = fed.trainer.weights[name].value.buffer.update(from: w[name].value.array) }
        }
        let iterations = dir == nil ? 2 : Int(env["VAEGAN_LOCKSTEP_ITERATIONS"] ?? "") ?? 500
        var csv = "iteration,d_steps,g_steps,L_prior,L_dis_llike,L_GAN\n"
        for i in 0..<iterations {
            let l = fed.iteration()
            csv += "\(i),\(l.d),\(l.g),\(l.prior),\(l.llike),\(l.gan)\n"
        }
        XCTAssertGreaterThan(fed.step, iterations, "each iteration takes a D and a G step")
        if let dir {
            try csv.write(
                toFile: dir + "/" + (env["VAEGAN_LOCKSTEP_OUT"] ?? "ours.csv"), atomically: true, encoding: .utf8)
        }
    }
}
