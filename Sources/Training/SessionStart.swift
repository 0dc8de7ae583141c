import Datasets
import OwnData
import RunFolder
import RunModel

extension TrainingSession {
    /// A `train-and-record` session in `run`: refused where this machine cannot compute in the
    /// run's precision; its data chosen (`RunData.choose`, from `given` (--data) turned by
    /// `inversion` and made into `shape`; `config` takes one's own set), its snapshots measured by what `measure` makes
    /// of the settings and the test digits, the run opened (`init`) and one's own set kept in it.
    public static func open(
        _ config: RunConfig, run: RunDirectory, resume: Bool, keepIntactSnapshots: Bool, given: String?,
        inversion: OwnDataset.Inversion, shape: ImageShapeChoice, say: (String) -> Void,
        measure: (RunConfig, DigitSet) throws -> SnapshotMeasure?
    ) throws -> TrainingSession {
        try config.model.precision.checkAvailable()
        var config = config
        let data = try RunData.choose(
            for: &config, run: run, resume: resume, given: given, inversion: inversion, shape: shape, say: say)
        let session = try TrainingSession(
            run: run, config: config, dataset: data.dataset, resume: resume, keepIntactSnapshots: keepIntactSnapshots,
            measure: try measure(config, data.dataset.test))
        try data.keep(in: config)
        return session
    }
}
