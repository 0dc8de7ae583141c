import Datasets
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
        let weights = try checkedWeights(
            file.arrays, latentDim: config.model.latentDim, data: config.data, path: path)
        let iteration = try file.iteration()
        try checkIteration(iteration, file: file)
        return Opened(weights: weights, iteration: iteration, file: file)
    }

    /// The header's iteration against the loss log beside it, where one row per iteration is
    /// written before each checkpoint: fewer rows means a changed header (or a cut log), and a
    /// reader would name an iteration the weights never reached. A folder without the log (a
    /// shipped model's) is not checked; a resume checks further (Training's `TrainingSession`).
    static func checkIteration(_ iteration: Int, file: CheckpointFile) throws {
        let log = RunDirectory((file.path as NSString).deletingLastPathComponent).lossesPath
        guard FileManager.default.fileExists(atPath: log) else { return }
        let rows = (try? LossLog.read(path: log))?.count ?? 0
        guard rows >= iteration else {
            throw file.invalid(
                "says iteration \(iteration), but losses.csv holds \(rows) rows (one is written for each "
                    + "iteration before a checkpoint); one of the two was changed")
        }
    }

    /// The weights among a checkpoint's or a shipped weights file's arrays, whole and finite.
    package static func checkedWeights(
        _ arrays: [String: StoredArray], latentDim: Int, data: DataDescription, path: String
    ) throws
        -> ModelWeights
    {
        func bad(_ s: String) -> RunError { .invalid(file: path, problem: s) }
        let weights: ModelWeights
        do {
            weights = try ModelWeights(tensors: arrays.mapValues(Tensor.init), latentDim: latentDim, data: data)
        } catch {
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
