import Datasets
import Tensor

/// What one outer iteration did, for the loss log and the progress line. Losses are those of the
/// iteration's last generator step, computed before its update (what the notebook prints).
public struct IterationLog: Equatable, Sendable {
    public var iteration: Int
    public var discriminatorSteps: Int
    public var generatorSteps: Int
    public var prior: Float
    /// L_dis_llike for the VAE+GAN; the reconstruction BCE for the plain CVAE.
    public var reconstruction: Float
    /// L_GAN (NaN for the plain CVAE, which has none).
    public var gan: Float

    public var isFinite: Bool {
        prior.isFinite && reconstruction.isFinite && (gan.isFinite || gan.isNaN && discriminatorSteps == 0)
    }
}

/// The notebook's training loop (docs/MODEL.md §5) over one set of weights and optimisers.
///
/// Three independent random streams from one seed: data order, noise (z_p, eps) and dropout masks,
/// so that a checkpoint can save each exactly and a resumed run draws what an unbroken one would.
public final class Trainer {
    public let config: ModelConfig
    public let weights: ModelWeights
    public let batchSize: Int
    public let data: DigitSet
    public private(set) var iteration: Int = 0
    public internal(set) var dataRNG: RNG
    public internal(set) var noiseRNG: RNG
    public internal(set) var dropoutRNG: RNG
    public internal(set) var batches: BatchIterator
    public let optimizers: Optimizers

    public init(config: ModelConfig, weights: ModelWeights, data: DigitSet, batchSize: Int, seed: UInt64) {
        self.config = config
        self.weights = weights
        self.data = data
        self.batchSize = batchSize
        dataRNG = RNG(seed: seed, stream: 1)
        noiseRNG = RNG(seed: seed, stream: 2)
        dropoutRNG = RNG(seed: seed, stream: 3)
        batches = BatchIterator(exampleCount: data.count, batchSize: batchSize)
        optimizers = Optimizers(config, weights: weights)
    }

    /// Move to a saved position (from a checkpoint).
    public func restore(iteration: Int, dataRNG: RNG, noiseRNG: RNG, dropoutRNG: RNG, batches: BatchIterator) {
        self.iteration = iteration
        self.dataRNG = dataRNG; self.noiseRNG = noiseRNG; self.dropoutRNG = dropoutRNG
        self.batches = batches
    }

    func nextBatch() -> Batch {
        let indices = batches.next(shuffle: { dataRNG.permutation($0) })
        return Batch(data, indices: indices, latentDim: config.latentDim, data: config.data, rng: &noiseRNG)
    }

    /// Times every op of every step when set (for `bench`).
    public var profiler: OpProfiler?

    /// Run one training step's forward and backward on a fresh tape that draws dropout masks from
    /// this trainer's stream (which then moves on by what the step drew), with eps drawn from the
    /// noise stream unless given.
    func trainingStep<Pass>(_ batch: Batch, eps given: Tensor?, _ body: (Tape, Networks, Tensor) -> Pass) -> Pass {
        let tape = Tape(training: true, rng: dropoutRNG, precision: config.precision)
        if config.dropoutMasks == .shared { tape.shareMasksAcrossApplications() }
        tape.profiler = profiler
        profiler?.mark()
        defer { dropoutRNG = tape.rng }
        let eps = given ?? Tensor.normal([batch.size, config.latentDim], rng: &noiseRNG)
        return body(tape, Networks(weights: weights, config: config, tape: tape), eps)
    }

    /// One D step: L_GAN's gradient into the discriminator (and, if asked, L_dis_llike's into `l`).
    /// Returns the losses of the forward, before the update.
    @discardableResult
    public func discriminatorStep(_ batch: Batch, eps: Tensor? = nil) -> ForwardPass {
        let pass = trainingStep(batch, eps: eps) { tape, net, eps in
            // Shared masks index each application's own rows: one application per input, unbatched.
            let pass = ForwardPass(net, batch: batch, eps: eps, batched: config.dropoutMasks == .independent)
            tape.backward([(loss: pass.gan, weight: 1)], into: .discriminator)
            if config.trainSimilarity {
                tape.backward([(loss: pass.disLlike, weight: 1)], into: .similarity)
            }
            return pass
        }
        optimizers.discriminator?.step()
        return pass
    }

    /// One generator step: L_enc = L_dis_llike + L_prior into the encoder and
    /// L_dec = gamma*L_dis_llike - L_GAN into the decoder, both from this one forward, then both
    /// optimisers apply (so both gradients come from the weights as they were before the step).
    @discardableResult
    public func generatorStep(_ batch: Batch, eps: Tensor? = nil) -> ForwardPass {
        let pass = trainingStep(batch, eps: eps) { tape, net, eps in
            let pass = ForwardPass(net, batch: batch, eps: eps, batched: false)
            tape.backward([(loss: pass.disLlike, weight: 1), (loss: pass.prior, weight: 1)], into: .encoder)
            tape.backward([(loss: pass.disLlike, weight: config.gamma), (loss: pass.gan, weight: -1)], into: .decoder)
            return pass
        }
        optimizers.encoder?.step()
        optimizers.decoder?.step()
        return pass
    }

    /// One step of the plain CVAE on a fresh batch.
    @discardableResult
    public func cvaeStep(_ batch: Batch, eps: Tensor? = nil) -> CVAEForwardPass {
        let pass = trainingStep(batch, eps: eps) { tape, net, eps in
            let pass = CVAEForwardPass(net, batch: batch, eps: eps)
            tape.backward([(loss: pass.total, weight: 1)], into: [.encoder, .decoder])
            return pass
        }
        optimizers.generator?.step()
        return pass
    }

    /// One outer iteration of the notebook's loop (`Balancing`).
    public func runIteration() -> IterationLog {
        defer { iteration += 1 }
        if config.kind == .cvae {
            let pass = cvaeStep(nextBatch())
            return IterationLog(
                iteration: iteration, discriminatorSteps: 0, generatorSteps: 1,
                prior: pass.prior.value[0], reconstruction: pass.reconstructionLoss.value[0], gan: .nan)
        }
        var batch = nextBatch()
        var last: ForwardPass!
        let (dSteps, gSteps) = Balancing.run(
            newBatch: { batch = nextBatch() },
            discriminatorStep: { discriminatorStep(batch).gan.value[0] },
            generatorStep: {
                last = generatorStep(batch); return last.gan.value[0]
            })
        return IterationLog(
            iteration: iteration, discriminatorSteps: dSteps, generatorSteps: gSteps,
            prior: last.prior.value[0], reconstruction: last.disLlike.value[0], gan: last.gan.value[0])
    }
}

/// The RMSProps of a model, one per group of parameters (docs/MODEL.md §4): encoder, decoder and
/// discriminator for the VAE+GAN, one generator over encoder and decoder for the plain CVAE. The
/// others are nil.
public struct Optimizers {
    public let encoder: RMSProp?, decoder: RMSProp?, discriminator: RMSProp?
    public let generator: RMSProp?

    init(_ config: ModelConfig, weights: ModelWeights) {
        let lr = config.learningRates
        switch config.kind {
        case .cvaeGAN:
            var dParams = weights.parameters(.discriminator)
            if config.trainSimilarity { dParams += weights.parameters(.similarity) }
            encoder = RMSProp(parameters: weights.parameters(.encoder), learningRate: lr.encoder)
            decoder = RMSProp(parameters: weights.parameters(.decoder), learningRate: lr.decoder)
            discriminator = RMSProp(parameters: dParams, learningRate: lr.discriminator)
            generator = nil
        case .cvae:
            encoder = nil; decoder = nil; discriminator = nil
            generator = RMSProp(parameters: weights.parameters([.encoder, .decoder]), learningRate: lr.cvae)
        }
    }

    /// Those the model has, in a fixed order.
    public var all: [RMSProp] { [encoder, decoder, discriminator, generator].compactMap { $0 } }
}

/// How the notebook's loop balances the two players in one outer iteration, apart from the
/// networks (docs/MODEL.md §5):
///
///     repeat up to 3: (a new batch and z_p but the first time) D step; stop if L_GAN < 1.0
///     repeat up to 3: G step on the current batch; stop if L_GAN > 0.4; else a new batch and z_p
///
/// The notebook takes a new batch even after its third G step.
public enum Balancing {
    /// The D loop stops once L_GAN < 1.0; the G loop once L_GAN > 0.4 (up to 3 steps each).
    public static let maxSteps = 3, dStopBelow: Float = 1.0, gStopAbove: Float = 0.4

    /// Run the loop; each step returns its L_GAN. Returns how many D and G steps were taken.
    public static func run(newBatch: () -> Void, discriminatorStep: () -> Float, generatorStep: () -> Float)
        -> (discriminatorSteps: Int, generatorSteps: Int)
    {
        var d = 0
        for _ in 0..<maxSteps {
            if d > 0 { newBatch() }
            d += 1
            if discriminatorStep() < dStopBelow { break }
        }
        var g = 0
        for _ in 0..<maxSteps {
            g += 1
            if generatorStep() > gStopAbove { break }
            newBatch()
        }
        return (d, g)
    }

    /// How many batches one outer iteration took from the iterator, from what the loss log keeps
    /// of it: the first, one for each D step after the first, and one after each G step that did
    /// not stop the loop (the third's too, when its L_GAN, the last logged, stayed at or below 0.4).
    public static func batchesTaken(discriminatorSteps d: Int, generatorSteps g: Int, lastGAN: Float) -> Int {
        1 + (d - 1) + (lastGAN > gStopAbove ? g - 1 : g)
    }
}
