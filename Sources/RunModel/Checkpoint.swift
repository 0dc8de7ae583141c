import Foundation
import RunFolder
import Tensor
import VAEGAN

/// A run's checkpoint opened for its weights (the file's format is `CheckpointFile`, in
/// RunFolder; writing one and resuming a trainer from one are Training's).
public enum Checkpoint {
    /// What every reader of a checkpoint needs, checked once: the file is a checkpoint of the
    /// run's model, its weights are whole and finite, its iteration is in range.
    public struct Opened {
        public let weights: ModelWeights
        public let iteration: Int
        /// The file as read, for Training to restore the optimisers and the trainer's state from.
        package let file: CheckpointFile
    }

    public static func open(path: String, config: RunConfig) throws -> Opened {
        let file = try CheckpointFile.read(path: path)
        guard file[.modelKind] == config.model.kind.rawValue, file[.latentDim] == String(config.model.latentDim)
        else {
            throw file.invalid(
                "belongs to another model (\(file[.modelKind] ?? "?"), latent \(file[.latentDim] ?? "?")) than config.json"
            )
        }
        let weights = try checkedWeights(file.arrays, latentDim: config.model.latentDim, path: path)
        return Opened(weights: weights, iteration: try file.iteration(), file: file)
    }

    /// The weights among a checkpoint's or a shipped weights file's arrays, whole and finite.
    package static func checkedWeights(_ arrays: [String: StoredArray], latentDim: Int, path: String) throws
        -> ModelWeights
    {
        func bad(_ s: String) -> RunError { .invalid(file: path, problem: s) }
        let weights: ModelWeights
        do { weights = try ModelWeights(tensors: arrays.mapValues(Tensor.init), latentDim: latentDim) } catch {
            throw bad("\(error)")
        }
        for name in weights.names where !weights[name].value.isFinite {
            throw bad("tensor '\(name)' holds NaN or infinity; refusing to use a diverged run")
        }
        return weights
    }

    /// The engine revision that wrote a checkpoint, nil when its metadata is not a number.
    package static func revision(_ file: CheckpointFile) -> Int? {
        guard let text = file[.engineRevision] else { return EngineRevision.unrecorded }
        return Int(text)
    }
}
