import Datasets
import Foundation
import Tensor
import VAEGAN

/// Trains the `Classifier` on the MNIST training set: mini-batches of a fresh permutation every
/// epoch, mean softmax cross-entropy, TensorFlow-1 RMSProp. The same seed and thread count give
/// the same weights. The learning rate halves after every epoch.
public struct ClassifierTraining: Sendable {
    /// The defaults made the shipped `Assets/classifier.safetensors`.
    public var epochs = 5
    public var batchSize = 100
    public var learningRate: Float = 1e-3
    /// The learning rate is multiplied by this after every epoch.
    public var learningRateDecay: Float = 0.5
    public var seed: UInt64 = 0
    /// What the data is: the classifier tells its classes apart (labels 0..<count).
    public var data: DataDescription

    public init(data: DataDescription) { self.data = data }

    /// Write the trained weights with what made them: the command that gives the same bytes
    /// (with `threads`) and the test accuracy.
    /// `data`: the --data it was trained on and its checksum (`Dataset.checksum`), for a set other
    /// than MNIST.
    public func save(
        _ classifier: Classifier, to path: String, threads: Int, testAccuracy: Double,
        data: (path: String, checksum: String)? = nil
    ) throws {
        var metadata = [
            "format": "vaegan-render classifier",
            "command":
                "vaegan-render train-classifier \(data.map { "--data \($0.path) " } ?? "")--epochs \(epochs) "
                + "--batch-size \(batchSize) --learning-rate \(learningRate) --seed \(seed) --threads \(threads)",
            "test_accuracy": String(format: "%.4f", testAccuracy)
        ]
        if let data { metadata[Self.checksumKey] = data.checksum }
        try classifier.save(path: path, metadata: metadata)
    }

    /// The shipped recipe for one's own set of `trainCount` training images: a small set gets more
    /// epochs (some 300 steps in all), its rate falling as far overall as in the default five.
    public static func forOwnSet(_ data: DataDescription, trainCount: Int) -> ClassifierTraining {
        var training = ClassifierTraining(data: data)
        training.batchSize = min(training.batchSize, trainCount)
        let steps = trainCount / training.batchSize
        training.epochs = min(100, max(training.epochs, (300 + steps - 1) / steps))
        training.learningRateDecay = Float(pow(0.5, 4 / Double(training.epochs - 1)))
        return training
    }

    /// Train on `data` and keep the weights in `path` with what made them (`save`); the classifier
    /// and its last epoch's test accuracy. `source`: the data's path and checksum, for a set other
    /// than MNIST.
    public func trainAndSave(
        on data: Dataset, to path: String, threads: Int, source: (path: String, checksum: String)?,
        progress: (Progress) -> Void, epochDone: (EpochReport) -> Void = { _ in }
    ) throws -> (classifier: Classifier, testAccuracy: Double) {
        var accuracy = 0.0
        let classifier = train(
            on: data, progress: progress,
            epochDone: {
                accuracy = $0.testAccuracy
                epochDone($0)
            })
        try save(classifier, to: path, threads: threads, testAccuracy: accuracy, data: source)
        classifier.dataChecksum = source?.checksum
        return (classifier, accuracy)
    }

    /// The metadata key of the checksum of the data a classifier was trained on.
    public static let checksumKey = "data_checksum"

    /// After each step.
    public struct Progress {
        public let epoch: Int
        public let step: Int
        public let stepsPerEpoch: Int
        public let loss: Float
        let epochs: Int

        public var done: Int { epoch * stepsPerEpoch + step }
        public var total: Int { epochs * stepsPerEpoch }

        /// The terminal's progress line, given the rate and the ETA the caller measured.
        public func line(rate: Double, eta: String) -> String {
            String(
                format: "epoch %d/%d  step %d/%d  %.1f steps/s  ETA %@  loss %.4f", epoch + 1, epochs, step,
                stepsPerEpoch, rate, eta, loss)
        }
    }

    /// After each epoch: the mean training loss over the epoch and the test accuracy.
    public struct EpochReport {
        public let epoch: Int
        public let meanLoss: Double
        public let testAccuracy: Double

        public var summary: String {
            String(format: "epoch %d: mean loss %.4f, test accuracy %.2f%%", epoch + 1, meanLoss, 100 * testAccuracy)
        }
    }

    /// What the training is about to do, in one line.
    public func summary(stepsPerEpoch: Int, threads: Int) -> String {
        "training the classifier: \(epochs) epochs of \(stepsPerEpoch) steps, \(threads) threads, seed \(seed)"
    }

    public func train(
        on data: Dataset, progress: (Progress) -> Void = { _ in }, epochDone: (EpochReport) -> Void = { _ in }
    ) -> Classifier {
        var initRNG = RNG(seed: seed, stream: 0)
        let classifier = Classifier(data: self.data, rng: &initRNG)
        let optimiser = RMSProp(parameters: classifier.parameters, learningRate: learningRate)
        var shuffle = RNG(seed: seed, stream: 1)
        let tape = Tape(training: true, rng: RNG(seed: seed, stream: 2))
        var batches = BatchIterator(exampleCount: data.train.count, batchSize: batchSize)
        for epoch in 0..<epochs {
            optimiser.learningRate = learningRate * pow(learningRateDecay, Float(epoch))
            var total = 0.0
            for step in 0..<batches.batchesPerEpoch {
                let indices = batches.next { shuffle.permutation($0) }
                let x = Batch.images(data.train, indices)
                let y = Batch.oneHot(indices.map { Int(data.train.labels[$0]) }, data: self.data)
                let logits = classifier.forward(Variable(x), tape: tape).logits
                let losses = tape.softmaxCrossEntropy(labels: Variable(y), logits: logits)
                let loss = tape.affine(tape.sum(losses), scale: 1 / Float(indices.count))
                tape.backward([(loss: loss, weight: 1)], into: .classifier)
                optimiser.step()
                tape.reset()
                total += Double(loss.value[0])
                progress(
                    Progress(
                        epoch: epoch, step: step + 1, stepsPerEpoch: batches.batchesPerEpoch, loss: loss.value[0],
                        epochs: epochs))
            }
            epochDone(
                EpochReport(
                    epoch: epoch, meanLoss: total / Double(batches.batchesPerEpoch),
                    testAccuracy: Self.accuracy(of: classifier, on: data.test)))
        }
        return classifier
    }

    /// The fraction of `set` the classifier labels correctly.
    public static func accuracy(of classifier: Classifier, on set: DigitSet) -> Double {
        let judged = classifier.judge(Batch.images(set, 0..<set.count)).labels
        return Double(zip(judged, set.labels).filter { $0 == Int($1) }.count) / Double(max(set.count, 1))
    }
}
