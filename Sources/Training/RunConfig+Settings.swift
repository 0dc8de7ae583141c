import Datasets
import RunFolder
import RunModel
import Tensor
import VAEGAN

/// The settings a training session trains by, from what `train-and-record` was asked: a new run's
/// from the preset and the flags, a resumed run's from its own config.json.
extension RunConfig {
    /// A new run: the preset's iterations and snapshot spacing where the flags give none.
    public static func newRun(
        model: ModelConfig, preset: Preset, iterations: Int?, snapshotEvery: Int?, seed: UInt64,
        batchSize: Int, dataset: DatasetKind, dataDirectory: String, threads: Int, checkpointEvery: Int,
        recordDecoders: Bool = false, keepCheckpoints: Int = 0
    ) -> RunConfig {
        let plan = preset.plan(model.variant)
        var config = RunConfig(model: model)
        config.preset = preset.rawValue
        config.iterations = iterations ?? plan.iterations
        config.iterationsPerPeriod = snapshotEvery ?? plan.schedule.iterationsPerPeriod
        config.seed = seed
        config.batchSize = batchSize
        config.dataset = dataset
        config.dataDirectory = dataDirectory
        config.threads = threads
        config.checkpointEvery = checkpointEvery
        config.recordDecoders = recordDecoders
        config.keepCheckpoints = keepCheckpoints
        return config
    }

    /// A stopped run's own settings, with what a resumption may change: more iterations, another
    /// thread count (the run's own unless given: same threads, same numbers), and how many
    /// checkpoints it keeps (`keepCheckpoints`; the run's own unless given, 0 to stop). A variant,
    /// precision, dropout masks or snapshot spacing other than the run's would make another run,
    /// and is refused.
    public static func resuming(
        _ dir: RunDirectory, variant: LossVariant?, precision: Precision? = nil, dropoutMasks: DropoutMasks? = nil,
        snapshotEvery: Int?, iterations: Int?, threads: Int?, recordDecoders: Bool = false, keepCheckpoints: Int? = nil
    ) throws -> RunConfig {
        var config = try RunConfig.read(from: dir.path)
        if let variant, variant != config.model.variant {
            throw RunError.settingDiffers(
                file: dir.configPath, setting: "--variant", run: config.model.variant.rawValue,
                requested: variant.rawValue)
        }
        if let precision, precision != config.model.precision {
            throw RunError.settingDiffers(
                file: dir.configPath, setting: "--precision", run: config.model.precision.rawValue,
                requested: precision.rawValue)
        }
        if let dropoutMasks, dropoutMasks != config.model.dropoutMasks {
            throw RunError.settingDiffers(
                file: dir.configPath, setting: "--dropout-masks", run: config.model.dropoutMasks.rawValue,
                requested: dropoutMasks.rawValue)
        }
        if let n = snapshotEvery, n != config.iterationsPerPeriod {
            throw RunError.settingDiffers(
                file: dir.configPath, setting: "--snapshot-every", run: "\(config.iterationsPerPeriod)",
                requested: "\(n)")
        }
        // A run that kept no decoders so far cannot start now: its early snapshots would lack them.
        if recordDecoders && !config.recordDecoders {
            throw RunError.invalid(
                file: dir.configPath,
                problem:
                    "the run keeps no decoders; --record-decoders cannot start with --resume (its snapshots so far lack them)"
            )
        }
        if let iterations { config.iterations = iterations }
        if let threads { config.threads = threads }
        if let keepCheckpoints { config.keepCheckpoints = keepCheckpoints }
        return config
    }
}
