import Foundation
import MNIST
import RunFolder
import RunModel
import Tensor
import VAEGAN

/// Writing a checkpoint and resuming a trainer from one (the format: `Checkpoint` in RunModel).
extension Checkpoint {
    public static func save(_ trainer: Trainer, to path: String) throws {
        var tensors = trainer.weights.tensors.mapValues(StoredArray.init)
        for opt in trainer.optimizers.all {
            for (p, ms) in zip(opt.parameters, opt.meanSquares) {
                let name = trainer.weights.names.first { trainer.weights[$0] === p }!
                tensors[name + ".rms"] = StoredArray(ms)
            }
        }
        let order = trainer.batches.order
        tensors["state.batch_order"] = StoredArray(shape: [order.count], values: order.map(Float.init))
        let words = { (r: RNG) in r.stateWords.map { String($0, radix: 16) }.joined(separator: ",") }
        let meta: [String: String] = [
            "format": format,
            "engine.revision": String(EngineRevision.current),
            "iteration": String(trainer.iteration),
            "rng.data": words(trainer.dataRNG),
            "rng.noise": words(trainer.noiseRNG),
            "rng.dropout": words(trainer.dropoutRNG),
            "batch.next": String(trainer.batches.nextBatch),
            "batch.epoch": String(trainer.batches.epoch),
            "model.kind": trainer.config.kind.rawValue,
            "model.latent_dim": String(trainer.config.latentDim),
            "engine.precision": trainer.config.precision.rawValue
        ]
        try SafeTensors.write(tensors, metadata: meta, to: path)
    }

    /// Read a checkpoint into a new trainer for `config` over `data`, to go on training: only a
    /// checkpoint of this engine revision. Every tensor is checked for presence, shape and
    /// finiteness before the trainer sees it.
    public static func load(path: String, config: RunConfig, data: DigitSet) throws -> Trainer {
        let opened = try open(path: path, config: config)
        let (weights, tensors, meta) = (opened.weights, opened.tensors, opened.meta)
        func bad(_ s: String) -> RunError { .invalid(file: path, problem: s) }
        guard let revision = revision(meta) else { throw bad("metadata 'engine.revision' is not a number") }
        guard revision == EngineRevision.current else {
            throw RunError.engineRevisionDiffers(file: path, written: revision, current: EngineRevision.current)
        }
        let precision = meta["engine.precision"] ?? Precision.fp32.rawValue
        guard precision == config.model.precision.rawValue else {
            throw bad(
                "was computed in \(precision) and config.json says \(config.model.precision.rawValue); a run goes on in the precision it started in"
            )
        }
        let trainer = Trainer(
            config: config.model, weights: weights, data: data, batchSize: config.batchSize, seed: config.seed)
        for opt in trainer.optimizers.all {
            var saved: [Tensor] = []
            for p in opt.parameters {
                let name = weights.names.first { weights[$0] === p }! + ".rms"
                guard let ms = tensors[name] else { throw bad("optimiser state '\(name)' is missing") }
                guard ms.shape == p.shape else {
                    throw bad("optimiser state '\(name)' has shape \(ms.shape), expected \(p.shape)")
                }
                guard ms.isFinite, ms.buffer.allSatisfy({ $0 >= 0 }) else {
                    throw bad("optimiser state '\(name)' holds invalid values")
                }
                saved.append(ms)
            }
            opt.restore(meanSquares: saved)
        }
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let v = meta[key].flatMap({ Int($0) }), range.contains(v) else {
                throw bad("metadata '\(key)' is missing or out of range")
            }
            return v
        }
        func rng(_ key: String) throws -> RNG {
            let words = (meta[key] ?? "").split(separator: ",").compactMap { UInt64($0, radix: 16) }
            guard let r = RNG(state: words) else { throw bad("metadata '\(key)' is not a generator state") }
            return r
        }
        let iteration = opened.iteration
        let perEpoch = data.count / config.batchSize
        let next = try int("batch.next", 0...perEpoch)
        let epoch = try int("batch.epoch", -1...Int(Int32.max))
        guard let orderTensor = tensors["state.batch_order"] else { throw bad("tensor 'state.batch_order' is missing") }
        let order = orderTensor.buffer.map { Int($0) }
        guard
            order.isEmpty
                || (order.count == data.count && Set(order).count == data.count
                    && order.allSatisfy({ (0..<data.count).contains($0) }))
        else {
            throw bad("tensor 'state.batch_order' is not a permutation of the \(data.count) training examples")
        }
        trainer.restore(
            iteration: iteration, dataRNG: try rng("rng.data"), noiseRNG: try rng("rng.noise"),
            dropoutRNG: try rng("rng.dropout"),
            batches: BatchIterator(
                exampleCount: data.count, batchSize: config.batchSize, order: order, nextBatch: next, epoch: epoch))
        return trainer
    }
}
