import AtomicIO
import Datasets
import Foundation
import RunModel

/// Which classifier judges a run's pictures (`evaluate`) and reads drawings for it (the page, the
/// studio). On MNIST and Fashion-MNIST: the file the user names, else the shipped digit
/// classifier. On one's own data, which the digit classifier cannot judge: the file the user names
/// (its classes must be the run's), else the one kept in the run's data folder for the data's
/// checksum, else, for `evaluate`, one trained then on the run's training split and kept there.
public struct RunJudge {
    public let config: RunConfig

    public init(config: RunConfig) { self.config = config }

    /// A classifier file the user named (--classifier), or the shipped one where none was named.
    public struct Named {
        public let path: String
        public let isExplicit: Bool
        public init(path: String, isExplicit: Bool) { self.path = path; self.isExplicit = isExplicit }

        /// The file `--classifier` names (`given`), else $VAEGAN_CLASSIFIER's, else the shipped
        /// `Assets/classifier.safetensors` of the checkout the program was built from.
        public init(given: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
            let variable = environment["VAEGAN_CLASSIFIER"].flatMap { $0.isEmpty ? nil : $0 }
            self.init(path: given ?? variable ?? Classifier.shippedPath, isExplicit: given != nil || variable != nil)
        }

        public func load() throws -> Classifier { try Classifier.load(path: path) }
    }

    /// What the terminal shows of the choice: a line, and a training's steps.
    public struct Telling {
        public let say: (String) -> Void
        public let progress: (ClassifierTraining.Progress) -> Void
        public let trainingDone: () -> Void
        public init(
            say: @escaping (String) -> Void, progress: @escaping (ClassifierTraining.Progress) -> Void,
            trainingDone: @escaping () -> Void
        ) {
            self.say = say; self.progress = progress; self.trainingDone = trainingDone
        }
    }

    /// The checksum of the run's data: config.json's, or for a run recorded before it kept one,
    /// the kept set's as it reads now.
    public var checksum: String {
        config.dataChecksum ?? (try? Dataset.load(directory: config.dataDirectory))?.checksum ?? "crc32:unknown"
    }

    /// Where the classifier of the run's data is kept: beside the data, named by its checksum.
    public var keptPath: String {
        let key = Dataset.checksumDigits(checksum)
        return (config.dataDirectory as NSString).appendingPathComponent("classifier-\(key).safetensors")
    }

    /// The judge of `evaluate`, trained now (and kept) if the run's own data has none yet.
    public func judge(_ named: Named, threads: Int, telling: Telling) throws -> Classifier {
        guard config.dataset == .own else { return try named.load() }
        if named.isExplicit {
            let classifier = try named.load()
            if let theirs = classifier.dataChecksum, theirs != checksum {
                telling.say(
                    "warning: \(named.path) was trained on other data (checksum \(theirs), the run's \(checksum))")
            }
            return classifier
        }
        let (keptPath, checksum) = (keptPath, checksum)
        if FileManager.default.fileExists(atPath: keptPath) {
            let classifier = try Classifier.load(path: keptPath)
            guard classifier.dataChecksum == checksum, classifier.judges(config.data) else {
                throw FileError(
                    path: keptPath,
                    "is not the classifier of the run's data (its checksum differs); remove it to train a new one, "
                        + "or give one with --classifier")
            }
            telling.say("judged by the classifier of this data, \(keptPath)")
            return classifier
        }
        let data = try Dataset.load(directory: config.dataDirectory)
        let training = ClassifierTraining.forOwnSet(config.data, trainCount: data.train.count)
        telling.say(
            "no classifier of this data yet: "
                + training.summary(stepsPerEpoch: data.train.count / training.batchSize, threads: threads)
                + ", on the run's training split")
        let (classifier, accuracy) = try training.trainAndSave(
            on: data, to: keptPath, threads: threads, source: (config.dataDirectory, checksum),
            progress: telling.progress)
        telling.trainingDone()
        telling.say(
            String(
                format: "judged by a classifier of this data (test accuracy %.1f%%), kept in %@", 100 * accuracy,
                keptPath))
        return classifier
    }

    /// What reads drawings in the page and the studio (none is trained for it): the file named;
    /// on a run of one's own data the classifier kept for it; else the shipped digit classifier.
    public static func reader(of config: RunConfig?, _ named: Named) throws -> Classifier {
        guard !named.isExplicit, let config, config.dataset == .own else { return try named.load() }
        let kept = RunJudge(config: config).keptPath
        guard FileManager.default.fileExists(atPath: kept) else {
            throw ClassifierError(path: kept, "no classifier of this run's data yet (evaluate trains one)")
        }
        return try Classifier.load(path: kept)
    }
}
