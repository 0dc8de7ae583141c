import AtomicIO
import Datasets
import Foundation

/// The settings of the model a run trains, as config.json keeps them under "model". The run
/// folder stores and reads them without knowing what they mean; the model says which are valid.
public protocol ModelSection: Codable, Equatable, Sendable {
    /// Why these settings cannot be a model (one phrase), or nil.
    var problem: String? { get }
    /// What the data the model is made for is: its classes and images' shape.
    var data: DataDescription { get set }
}

/// What a run's settings may be: `RunConfiguration.validate` and the command line's flags check
/// against these.
public enum RunLimits {
    public static let threads = 1...256
    public static let batchSize = 1...60_000
    public static let iterationsPerPeriod = 1...1_000_000
    /// `--keep-checkpoints`: none, or the last 1 to 100,000.
    public static let keptCheckpoints = 0...100_000
}

/// What a run's settings are unless a preset or a flag says otherwise.
public enum RunDefaults {
    public static let seed: UInt64 = 0, batchSize = 64, checkpointEvery = 100
}

/// Everything that defines a run, saved as `config.json` in the run directory. A resumed run and
/// every later `render`/`export` read it from there.
public struct RunConfiguration<Model: ModelSection>: Codable, Equatable, Sendable {
    public static var format: String { "vaegan-render run" }
    public var format = Self.format
    public var version = 1
    public var model: Model
    public var seed = RunDefaults.seed
    public var batchSize = RunDefaults.batchSize
    /// Outer iterations to train in all (a resumed run continues towards it).
    public var iterations = 1500
    public var dataset = DatasetKind.mnist
    /// Folder with the IDX files, as given (or defaulted) when the run started; for the user's own
    /// data, the run folder's `data/`, where the set was kept as IDX files (`read` points it at the
    /// folder's `data/` wherever the folder is now).
    public var dataDirectory = ""
    /// The user's own data as given with --data (a .npz, .npy files, PNG folders). Absent for MNIST
    /// and Fashion-MNIST. (Its classes and shape are the model's `data`.)
    public var dataSource: String?
    /// The classes' names as runs recorded before the model section kept `data` wrote them, beside
    /// a bare class count; `read` makes them the model's data's names. Never written.
    var earlierClassNames: [String]?
    /// A checksum of the user's own set as kept in `data/` (`Dataset.checksum`): what a resume, a
    /// checkpoint and a classifier trained on the set are matched by. Absent for MNIST and
    /// Fashion-MNIST.
    public var dataChecksum: String?
    /// How one's own set fitted its pictures (`PictureFitting`: inverted, the set's background for
    /// transparent ones), decided once when the run started and kept by a resume. Absent for MNIST
    /// and Fashion-MNIST and in runs recorded before it existed, which read as
    /// `PictureFitting.unrecorded`.
    public var fitting: PictureFitting?
    public var threads = 2
    /// Write a checkpoint every this many iterations (and at the end, and on Ctrl-C).
    public var checkpointEvery = RunDefaults.checkpointEvery
    /// How many of its last checkpoints the run keeps the weights of (`KeptCheckpoints`;
    /// `--keep-checkpoints`), 0 for none. Absent (0) in runs that keep none, and in those
    /// recorded before the key existed; a resume may set or change it, since it changes no
    /// number the run computes.
    public var keepCheckpoints: Int {
        get { storedKeepCheckpoints ?? 0 }
        set { storedKeepCheckpoints = newValue > 0 ? newValue : nil }
    }
    var storedKeepCheckpoints: Int?
    /// Iterations per snapshot period (`SnapshotSchedule`). A run recorded before the key existed
    /// snapshotted on the printed notebook's schedule (3 iterations per period).
    public var iterationsPerPeriod: Int {
        get { storedIterationsPerPeriod ?? SnapshotSchedule.printed.iterationsPerPeriod }
        set { storedIterationsPerPeriod = newValue }
    }
    var storedIterationsPerPeriod: Int? = SnapshotSchedule.printed.iterationsPerPeriod
    /// The preset the run was started with, if any (shown in reports; settings above rule).
    public var preset: String?
    /// Whether each snapshot keeps the decoder's weights in 16 bits (`--record-decoders`), so that
    /// films can be redrawn over any two latent dimensions. Absent in runs recorded before.
    public var recordDecoders: Bool {
        get { storedRecordDecoders ?? false }
        set { storedRecordDecoders = newValue ? true : nil }
    }
    var storedRecordDecoders: Bool?

    public init(model: Model) { self.model = model }

    public var schedule: SnapshotSchedule { SnapshotSchedule(iterationsPerPeriod: iterationsPerPeriod) }

    /// What the run's data is: its classes and images' shape (the model section's).
    public var data: DataDescription { model.data }

    /// Every key is required but the optional ones, which later versions added.
    enum CodingKeys: String, CodingKey {
        case format, version, model, seed, batchSize, iterations, dataset, dataDirectory, threads, checkpointEvery
        case storedIterationsPerPeriod = "iterationsPerPeriod", preset
        case storedRecordDecoders = "recordDecoders", dataSource, earlierClassNames = "classNames", dataChecksum
        case storedKeepCheckpoints = "keepCheckpoints", fitting
    }

    public func write(to dir: String) throws {
        try AtomicFile.write(try encoded(), to: RunDirectory(dir).configPath)
    }

    /// config.json's bytes: sorted keys, pretty-printed.
    public func encoded() throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try enc.encode(self)
    }

    public static func read(from dir: String) throws -> Self {
        let path = RunDirectory(dir).configPath
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: dir)
                ? RunError.notARun(folder: dir) : RunError.noSuchRun(folder: dir)
        }
        var config: Self
        do { config = try JSONDecoder().decode(Self.self, from: data) } catch {
            throw RunError.invalid(file: path, problem: "is not a valid run configuration (\(Self.describe(error)))")
        }
        guard config.format == format else {
            throw RunError.invalid(file: path, problem: "is not a vaegan-render run configuration")
        }
        guard config.version == 1 else {
            throw RunError.invalid(file: path, problem: "run format version \(config.version) is not supported")
        }
        if let names = config.earlierClassNames {
            guard names.count == config.model.data.classes.count else {
                throw RunError.invalid(
                    file: path,
                    problem:
                        "classNames holds \(names.count) names for model.classes \(config.model.data.classes.count)")
            }
            config.model.data = DataDescription(names: names)
            config.earlierClassNames = nil
        }
        try config.validate(path: path)
        // One's own set is kept in the run folder: found there wherever the folder now is (moved
        // or copied), not where config.json says it was when the run started.
        if config.dataset == .own {
            let here = (dir as NSString).appendingPathComponent(DatasetKind.own.defaultDirectory)
            config.dataDirectory = URL(fileURLWithPath: here).standardized.path
        }
        return config
    }

    /// Reject values no run can have (a hand-edited or foreign file).
    public func validate(path: String) throws {
        func bad(_ s: String) -> RunError { .invalid(file: path, problem: s) }
        if let problem = model.problem { throw bad(problem) }
        guard RunLimits.batchSize.contains(batchSize) else {
            throw bad("batchSize \(batchSize) is outside \(RunLimits.batchSize)")
        }
        guard iterations >= 1 else { throw bad("iterations must be positive") }
        guard RunLimits.threads.contains(threads) else {
            throw bad("threads \(threads) is outside \(RunLimits.threads)")
        }
        guard checkpointEvery >= 1 else { throw bad("checkpointEvery must be positive") }
        guard RunLimits.keptCheckpoints.contains(keepCheckpoints) else {
            throw bad("keepCheckpoints \(keepCheckpoints) is outside \(RunLimits.keptCheckpoints)")
        }
        guard RunLimits.iterationsPerPeriod.contains(iterationsPerPeriod) else {
            throw bad("iterationsPerPeriod \(iterationsPerPeriod) is outside \(RunLimits.iterationsPerPeriod)")
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let c):
            return "missing \((c.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        default: return "\(error)"
        }
    }
}
