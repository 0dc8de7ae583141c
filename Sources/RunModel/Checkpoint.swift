import Foundation
import RunFolder
import Tensor
import VAEGAN

/// A checkpoint: everything needed to continue a run exactly, in one safetensors file.
///
/// Tensors (float32):
///   `<layer>.kernel`, `<layer>.bias`  the weights, Keras layout (see README "Checkpoint format")
///   `<layer>.kernel.rms`, ...         RMSProp mean-square accumulators (as TF1's `rms` slot)
///   `state.batch_order`               this epoch's permutation of the training set
/// Metadata (strings): format, iteration, the three RNG states, batch position, model kind, and
/// the engine revision and precision that computed it (`EngineRevision`, `Precision`; a resume
/// needs the same).
///
/// Opening one for reading (weights and iteration) is here; writing one and resuming a trainer
/// from one are Training's (`Checkpoint.save`, `Checkpoint.load`).
public enum Checkpoint {
    public static let format = "vaegan-render checkpoint 1"

    /// What every reader of a checkpoint needs, checked once: the file is a checkpoint of the
    /// run's model, its weights are whole and finite, its iteration is in range.
    public struct Opened {
        public let weights: ModelWeights
        public let iteration: Int
        /// Every tensor and the metadata, for `load` (Training) to restore the optimisers from.
        package let tensors: [String: Tensor]
        package let meta: [String: String]
    }

    public static func open(path: String, config: RunConfig) throws -> Opened {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RunError.missing(file: (path as NSString).deletingLastPathComponent, what: "holds no checkpoint yet")
        }
        let (arrays, meta) = try SafeTensors.read(path: path)
        let tensors = arrays.mapValues(Tensor.init)
        func bad(_ s: String) -> RunError { .invalid(file: path, problem: s) }
        guard meta["format"] == format else {
            throw bad("is not a vaegan-render checkpoint (format '\(meta["format"] ?? "none")')")
        }
        guard meta["model.kind"] == config.model.kind.rawValue,
            meta["model.latent_dim"] == String(config.model.latentDim)
        else {
            throw bad(
                "belongs to another model (\(meta["model.kind"] ?? "?"), latent \(meta["model.latent_dim"] ?? "?")) than config.json"
            )
        }
        let (weights, iteration) = try checkedWeights(
            tensors, meta: meta, latentDim: config.model.latentDim, path: path)
        return Opened(weights: weights, iteration: iteration, tensors: tensors, meta: meta)
    }

    /// The weights of a checkpoint or a shipped weights file, whole and finite, and the iteration
    /// its metadata names.
    package static func checkedWeights(
        _ tensors: [String: Tensor], meta: [String: String], latentDim: Int, path: String
    ) throws
        -> (
            ModelWeights, Int
        )
    {
        func bad(_ s: String) -> RunError { .invalid(file: path, problem: s) }
        let weights: ModelWeights
        do { weights = try ModelWeights(tensors: tensors, latentDim: latentDim) } catch { throw bad("\(error)") }
        for name in weights.names where !weights[name].value.isFinite {
            throw bad("tensor '\(name)' holds NaN or infinity; refusing to use a diverged run")
        }
        guard let iteration = meta["iteration"].flatMap({ Int($0) }), (0...Int(Int32.max)).contains(iteration) else {
            throw bad("metadata 'iteration' is missing or out of range")
        }
        return (weights, iteration)
    }

    /// The engine revision that wrote a checkpoint's metadata.
    package static func revision(_ meta: [String: String]) -> Int? {
        guard let text = meta["engine.revision"] else { return EngineRevision.unrecorded }
        return Int(text)
    }
}
