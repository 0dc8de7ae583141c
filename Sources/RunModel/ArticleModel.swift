import Foundation
import RunFolder
import Tensor
import VAEGAN

/// A model trained as the run that made the article's figures (`--preset figure-run`, 11,001
/// iterations, seed 2), with shared dropout masks, shipped as
/// `Assets/article-weights.safetensors`: the weights alone, with what made them in the metadata
/// (written by `export weights`, `ArticleModel.write`). `serve`, `export style-transfer` and
/// `evaluate` draw with it when there is no run yet.
public enum ArticleModel {
    public static let fileName = "article-weights.safetensors"
    public static let format = "vaegan-render weights"
    /// The metadata keys a weights file adds to those it shares with a checkpoint.
    static let variantKey = "model.variant", madeByKey = "made_by"

    public static var path: String { ShippedAsset.path(fileName) }

    /// The ten 7s of the article's style-transfer figure, as MNIST test indices: matched pixel by
    /// pixel against the figure's input row (RMS 0.04-0.05, the next best match 0.106 or more).
    /// The notebook drew them with an unseeded `np.random.permutation`, so no seed gives them back.
    public static let styleTransferInputs = (
        label: 7, testIndices: [2564, 4551, 3136, 4793, 5789, 3643, 8974, 6361, 8401, 1848]
    )

    /// A weights file as a ready model, with the model settings its metadata names.
    public struct Opened {
        public let model: LatestModel
        public let config: ModelConfig
        /// What made the weights ("train-and-record --preset figure-run --seed 2 (threads 2)").
        public let madeBy: String
    }

    public static func open(path: String = path) throws -> Opened {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RunError.missing(file: path, what: "is not there (the article model's weights ship in Assets/)")
        }
        let (arrays, meta) = try SafeTensors.read(path: path)
        // The keys it shares with a checkpoint, and two of its own.
        let key = { (k: CheckpointFile.Key) in meta[k.rawValue] }
        func bad(_ s: String) -> RunError { .invalid(file: path, problem: s) }
        guard key(.format) == format else {
            throw bad("is not a vaegan-render weights file (format '\(key(.format) ?? "none")')")
        }
        guard let latent = key(.latentDim).flatMap({ Int($0) }), ModelConfig.latentDims.contains(latent) else {
            throw bad("metadata '\(CheckpointFile.Key.latentDim.rawValue)' is missing or out of range")
        }
        guard let variant = meta[variantKey].flatMap({ LossVariant(rawValue: $0) }) else {
            throw bad("metadata '\(variantKey)' is missing or unknown")
        }
        // The article's model was trained on MNIST's digits.
        let config = ModelConfig(data: .digits, kind: .cvaeGAN, variant: variant, latentDim: latent)
        let weights = try Checkpoint.checkedWeights(arrays, latentDim: latent, data: config.data, path: path)
        guard let iteration = key(.iteration).flatMap({ Int($0) }), (0...Int(Int32.max)).contains(iteration) else {
            throw bad("metadata '\(CheckpointFile.Key.iteration.rawValue)' is missing or out of range")
        }
        return Opened(
            model: LatestModel(inference: Inference(weights: weights, config: config), iteration: iteration),
            config: config, madeBy: meta[madeByKey] ?? "")
    }

    /// Keep the weights of `run`'s checkpoint (no optimiser state), or of the checkpoint it kept at
    /// iteration `checkpoint`, as a weights file at `path`, with what made them in its metadata:
    /// how Assets/article-weights.safetensors is made. A checkpoint any reader would refuse is
    /// refused here too; so is a plain CVAE's, which this file cannot hold. `pickedBy`, where
    /// given, says how these weights were chosen among others (a rule, in words), and joins the
    /// run's folder name in `made_by`. Returns the file's tensor count and iteration.
    @discardableResult
    public static func write(
        run: RunDirectory, checkpoint: Int? = nil, pickedBy: String? = nil, to path: String
    ) throws -> (tensors: Int, iteration: Int) {
        let config = try RunConfig.read(from: run.path)
        guard config.model.kind == .cvaeGAN else {
            throw RunError.invalid(
                file: run.configPath, problem: "is a run of the plain CVAE; a weights file holds a cvae-gan")
        }
        let opened = try run.model(config: config, checkpoint: checkpoint)
        let weights = opened.inference.weights
        let arrays = Dictionary(uniqueKeysWithValues: weights.names.map { ($0, StoredArray(weights[$0].value)) })
        let flags =
            "--preset \(config.preset ?? "?") --seed \(config.seed)"
            + " --dropout-masks \(config.model.dropoutMasks.rawValue)"
        let kept = checkpoint == nil ? "" : ", the checkpoint it kept at iteration \(opened.iteration)"
        let picked =
            pickedBy.map { "; run \(URL(fileURLWithPath: run.path).standardized.lastPathComponent), picked by \($0)" }
            ?? ""
        let metadata = [
            CheckpointFile.Key.format.rawValue: format,
            CheckpointFile.Key.latentDim.rawValue: "\(config.model.latentDim)",
            variantKey: config.model.variant.rawValue, CheckpointFile.Key.iteration.rawValue: "\(opened.iteration)",
            madeByKey: "train-and-record \(flags) (threads \(config.threads))\(kept)\(picked)"
        ]
        try SafeTensors.write(arrays, metadata: metadata, to: path)
        return (arrays.count, opened.iteration)
    }
}
