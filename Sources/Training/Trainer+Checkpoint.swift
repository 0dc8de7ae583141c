import Datasets
import Foundation
import RunFolder
import RunModel
import Tensor
import VAEGAN

/// A trainer to and from its checkpoint (the file's format: `CheckpointFile` in RunFolder).
extension Checkpoint {
    public static func save(_ trainer: Trainer, to path: String) throws {
        var arrays = trainer.weights.tensors.mapValues(StoredArray.init)
        for (opt, names) in zip(trainer.optimizers.all, parameterNames(trainer)) {
            for (name, ms) in zip(names, opt.meanSquares) {
                arrays[CheckpointFile.accumulatorName(name)] = StoredArray(ms)
            }
        }
        let state = CheckpointFile.TrainerState(
            iteration: trainer.iteration, dataRNG: trainer.dataRNG.stateWords, noiseRNG: trainer.noiseRNG.stateWords,
            dropoutRNG: trainer.dropoutRNG.stateWords, nextBatch: trainer.batches.nextBatch,
            epoch: trainer.batches.epoch, batchOrder: trainer.batches.order)
        try CheckpointFile.write(
            to: path, arrays: arrays, modelKind: trainer.config.kind.rawValue, latentDim: trainer.config.latentDim,
            engineRevision: EngineRevision.current, precision: trainer.config.precision.rawValue, state: state)
    }

    /// Keep the trainer's weights alone (`KeptCheckpoints`) at `path`, atomically: what a run keeps
    /// of a checkpoint it passes through.
    public static func saveWeights(_ trainer: Trainer, to path: String) throws {
        try CheckpointFile.writeWeights(
            to: path, arrays: trainer.weights.tensors.mapValues(StoredArray.init),
            modelKind: trainer.config.kind.rawValue,
            latentDim: trainer.config.latentDim, engineRevision: EngineRevision.current,
            precision: trainer.config.precision.rawValue, iteration: trainer.iteration)
    }

    /// The names of each optimiser's parameters, in its order.
    static func parameterNames(_ trainer: Trainer) -> [[String]] {
        let names = Dictionary(
            uniqueKeysWithValues: trainer.weights.names.map { (ObjectIdentifier(trainer.weights[$0]), $0) })
        return trainer.optimizers.all.map { $0.parameters.map { names[ObjectIdentifier($0)]! } }
    }

    /// Read a checkpoint into a new trainer for `config` over `data`, to go on training: only a
    /// checkpoint of this engine revision and the run's precision. Every tensor is checked for
    /// presence, shape and finiteness before the trainer sees it.
    public static func load(path: String, config: RunConfig, data: DigitSet) throws -> Trainer {
        let opened = try open(path: path, config: config)
        let file = opened.file
        guard !file.isWeightsOnly else {
            throw file.invalid("holds weights alone (a kept checkpoint); a resume needs the run's whole checkpoint")
        }
        guard let revision = revision(file) else {
            throw file.invalid("metadata '\(CheckpointFile.Key.engineRevision.rawValue)' is not a number")
        }
        guard revision == EngineRevision.current else {
            throw RunError.engineRevisionDiffers(file: path, written: revision, current: EngineRevision.current)
        }
        let precision = file[.precision] ?? Precision.fp32.rawValue
        guard precision == config.model.precision.rawValue else {
            throw file.invalid(
                "was computed in \(precision) and config.json says \(config.model.precision.rawValue); a run goes on in the precision it started in"
            )
        }
        let trainer = Trainer(
            config: config.model, weights: opened.weights, data: data, batchSize: config.batchSize, seed: config.seed)
        for (opt, names) in zip(trainer.optimizers.all, parameterNames(trainer)) {
            let saved = try zip(names, opt.parameters).map { parameter, p in
                let name = CheckpointFile.accumulatorName(parameter)
                guard let ms = file.arrays[name].map(Tensor.init) else {
                    throw file.invalid("optimiser state '\(name)' is missing")
                }
                guard ms.shape == p.shape else {
                    throw file.invalid("optimiser state '\(name)' has shape \(ms.shape), expected \(p.shape)")
                }
                guard ms.isFinite, ms.buffer.allSatisfy({ $0 >= 0 }) else {
                    throw file.invalid("optimiser state '\(name)' holds invalid values")
                }
                return ms
            }
            opt.restore(meanSquares: saved)
        }
        let state = try file.trainerState(examples: data.count, batchSize: config.batchSize)
        func rng(_ words: [UInt64], _ key: CheckpointFile.Key) throws -> RNG {
            guard let r = RNG(state: words) else {
                throw file.invalid("metadata '\(key.rawValue)' is not a generator state")
            }
            return r
        }
        trainer.restore(
            iteration: state.iteration, dataRNG: try rng(state.dataRNG, .dataRNG),
            noiseRNG: try rng(state.noiseRNG, .noiseRNG), dropoutRNG: try rng(state.dropoutRNG, .dropoutRNG),
            batches: BatchIterator(
                exampleCount: data.count, batchSize: config.batchSize, order: state.batchOrder,
                nextBatch: state.nextBatch, epoch: state.epoch))
        return trainer
    }
}
