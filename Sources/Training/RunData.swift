import AtomicIO
import Datasets
import Foundation
import OwnData
import RunFolder
import RunModel

/// Which data a run trains on. A new run of MNIST or Fashion-MNIST reads its IDX folder; a new run
/// of one's own images makes them the run's data (`adopt`), kept in the run folder's data/ as IDX
/// files; a run that is not new reads what it started on (`resumed`).
public enum RunData {
    /// Make one's own set (read from `source`) the data of the new run in `run`: `config` takes
    /// its description, checksum and fitting and the run folder's data/ as its folder. Returns the set as
    /// it will read back from there (each pixel a byte), which is what the run trains on.
    public static func adopt(_ own: OwnDataset, source: String, into config: inout RunConfig, run: RunDirectory)
        -> OwnDataset
    {
        let absolute = { (p: String) in URL(fileURLWithPath: p).standardized.path }
        config.dataset = .own
        config.dataSource = absolute(source)
        config.model.data = own.data
        let kept = own.quantised()
        config.dataChecksum = kept.dataset.checksum
        config.fitting = own.fitting
        config.dataDirectory = absolute((run.path as NSString).appendingPathComponent(DatasetKind.own.defaultDirectory))
        return kept
    }

    /// The data of a run that is not new: MNIST's or Fashion-MNIST's folder (`given`, else
    /// config.json's), or one's own set as kept in the run folder. A run of one's own data takes
    /// only the set it started on, told by its checksum: `given` may name that set again, in any
    /// format (`read` reads it), nothing else. `givenAs` names `given` in messages (a flag).
    public static func resumed(
        _ config: RunConfig, given: String?, givenAs: String, read: (String) throws -> Dataset
    ) throws -> Dataset {
        guard let checksum = config.dataChecksum else {
            return try Dataset.load(directory: given ?? config.dataDirectory)
        }
        let kept = try Dataset.load(directory: config.dataDirectory)
        guard kept.checksum == checksum else {
            throw FileError(
                path: config.dataDirectory,
                "the set kept there has checksum \(kept.checksum), but config.json says \(checksum); it was changed "
                    + "since the run started")
        }
        if let given {
            let other = try read(given)
            guard other.checksum == checksum else {
                throw FileError(
                    path: givenAs,
                    "is not the set this run was trained on (checksum \(other.checksum), the run's \(checksum), "
                        + "classes \(config.data.classes.names.joined(separator: ", "))); a run resumes on its own data"
                )
            }
        }
        return kept
    }
}

extension RunData {
    /// The set a `train-and-record` session trains on, and one's own set where a new run adopts it.
    public struct Chosen {
        public let dataset: Dataset
        /// One's own set as a new run adopted it (`adopt`), kept by `keep` once the session began.
        public let adopted: OwnDataset?

        /// Keep the adopted set in the run folder's data/ as IDX files, which a resume reads.
        public func keep(in config: RunConfig) throws {
            if let adopted { try adopted.dataset.writeIDX(to: config.dataDirectory) }
        }
    }

    /// What the session of `config` in `run` trains on, as `train-and-record` was given it:
    /// `given` (--data) naming one's own images makes them a new run's (`adopt`, turned by
    /// `inversion` and made into `shape`, said with `say`); else the run's folder of IDX files, or
    /// a resumed run's own set (`resumed`, read again in the run's own shape). Refused, naming the
    /// flag: labels beyond the run's classes or images of another shape, a training split smaller
    /// than a batch.
    public static func choose(
        for config: inout RunConfig, run: RunDirectory, resume: Bool, given: String?,
        inversion: OwnDataset.Inversion, shape: ImageShapeChoice, say: (String) -> Void
    ) throws -> Chosen {
        let seed = config.seed
        let read = try resume ? nil : OwnDataset.load(given: given, inversion: inversion, seed: seed, shape: shape)
        let own = read.map { own in
            say(own.summary + "; classes " + own.data.classes.names.joined(separator: ", "))
            return adopt(own, source: given!, into: &config, run: run)
        }
        let data =
            try own?.dataset
            ?? resumed(config, given: resume ? given : nil, givenAs: "--data \(given ?? "")") {
                try OwnDataset.load(
                    given: given, inversion: inversion, seed: seed, shape: ImageShapeChoice(config.data)
                )?.quantised().dataset
                    ?? Dataset.load(directory: $0)
            }
        if let problem = data.labelProblem(config.data) {
            throw FileError(path: "--data \(given ?? config.dataDirectory)", problem)
        }
        try data.checkBatchSize(config.batchSize)
        return Chosen(dataset: data, adopted: own)
    }
}
