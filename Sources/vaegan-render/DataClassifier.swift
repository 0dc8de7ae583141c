import ArgumentParser
import Console
import Evaluation
import Foundation
import MNIST
import RunModel
import Tensor

/// The judge of a run of one's own data, which the digit classifier cannot be: the file --classifier
/// names (its classes must be the run's), else the one kept in the run's data folder for the
/// data's checksum, else one trained now on the run's training split and kept there. Says which.
struct DataClassifier {
    let config: RunConfig
    let threads: Int
    let quiet: Bool

    /// The checksum of the run's data: config.json's, or for a run recorded before it kept one,
    /// the kept set's as it reads now.
    var checksum: String {
        config.dataChecksum ?? (try? Dataset.load(directory: config.dataDirectory))?.checksum ?? "crc32:unknown"
    }

    /// Where the classifier of the run's data is kept: beside the data, named by its checksum.
    var keptPath: String {
        let key = checksum.replacingOccurrences(of: "crc32:", with: "")
        return (config.dataDirectory as NSString).appendingPathComponent("classifier-\(key).safetensors")
    }

    func load(_ options: ClassifierOptions) throws -> Classifier {
        if options.isExplicit {
            let classifier = try options.load()
            if let theirs = classifier.dataChecksum, theirs != checksum {
                Terminal.info(
                    "warning: \(options.path) was trained on other data (checksum \(theirs), the run's \(checksum))",
                    quiet: quiet)
            }
            return classifier
        }
        let (keptPath, checksum) = (keptPath, checksum)
        if FileManager.default.fileExists(atPath: keptPath) {
            let classifier = try Classifier.load(path: keptPath)
            guard classifier.dataChecksum == checksum, classifier.classes == config.model.classes else {
                throw ValidationError(
                    "\(keptPath): is not the classifier of the run's data (its checksum differs); remove it to train "
                        + "a new one, or give one with --classifier")
            }
            Terminal.info("judged by the classifier of this data, \(keptPath)", quiet: quiet)
            return classifier
        }
        let data = try Dataset.load(directory: config.dataDirectory)
        var training = ClassifierTraining()
        training.classes = config.model.classes
        training.batchSize = min(training.batchSize, data.train.count)
        // A small set gets more epochs (some 300 steps in all), its rate falling as far overall as
        // in the default five epochs.
        let steps = data.train.count / training.batchSize
        training.epochs = min(100, max(training.epochs, (300 + steps - 1) / steps))
        training.learningRateDecay = Float(pow(0.5, 4 / Double(training.epochs - 1)))
        Terminal.info(
            "no classifier of this data yet: "
                + training.summary(stepsPerEpoch: data.train.count / training.batchSize, threads: threads)
                + ", on the run's training split", quiet: quiet)
        let line = ProgressLine(quiet: quiet, units: ("steps", "steps/s"))
        var accuracy = 0.0
        let classifier = training.train(
            on: data, progress: { line.draw(done: $0.done, total: $0.total, $0.line) },
            epochDone: { accuracy = $0.testAccuracy })
        line.end()
        try training.save(
            classifier, to: keptPath, threads: threads, testAccuracy: accuracy,
            data: (config.dataDirectory, checksum))
        classifier.dataChecksum = checksum
        Terminal.info(
            String(
                format: "judged by a classifier of this data (test accuracy %.1f%%), kept in %@", 100 * accuracy,
                keptPath),
            quiet: quiet)
        return classifier
    }
}

extension ClassifierOptions {
    /// The judge of `evaluate` for a run: on one's own data `DataClassifier` (trained there and
    /// then if need be), else the file --classifier names or the digit classifier.
    func judge(of config: RunConfig, threads: Int, quiet: Bool) throws -> Classifier {
        guard config.dataset == .own else { return try load() }
        return try DataClassifier(config: config, threads: threads, quiet: quiet).load(self)
    }

    /// What reads drawings in the page and the studio (none is trained for it): --classifier where
    /// named; on a run of one's own data the classifier kept for it; else the digit classifier.
    func reader(of config: RunConfig?) throws -> Classifier {
        guard !isExplicit, let config, config.dataset == .own else { return try load() }
        let kept = DataClassifier(config: config, threads: 1, quiet: true).keptPath
        guard FileManager.default.fileExists(atPath: kept) else {
            throw ClassifierError(path: kept, "no classifier of this run's data yet (evaluate trains one)")
        }
        return try Classifier.load(path: kept)
    }
}
