import Foundation
import MNIST
import Tensor
import VAEGAN

/// Trains the `Classifier` on the MNIST training set: mini-batches of a fresh permutation every
/// epoch, mean softmax cross-entropy, TensorFlow-1 RMSProp. The same seed and thread count give
/// the same weights. The learning rate halves after every epoch.
public struct ClassifierTraining {
    public var epochs = 3
    public var batchSize = 100
    public var learningRate: Float = 1e-3
    /// The learning rate is multiplied by this after every epoch.
    public var learningRateDecay: Float = 0.5
    public var seed: UInt64 = 0

    public init() {}

    /// After each step.
    public struct Progress {
        public let epoch: Int
        public let step: Int
        public let stepsPerEpoch: Int
        public let loss: Float
    }

    /// After each epoch: the mean training loss over the epoch and the test accuracy.
    public struct EpochReport {
        public let epoch: Int
        public let meanLoss: Double
        public let testAccuracy: Double
    }

    public func train(on data: Dataset, progress: (Progress) -> Void = { _ in }, epochDone: (EpochReport) -> Void = { _ in }) -> Classifier {
        var initRNG = RNG(seed: seed, stream: 0)
        let classifier = Classifier(rng: &initRNG)
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
                let y = Batch.oneHot(indices.map { Int(data.train.labels[$0]) })
                let logits = classifier.forward(Variable(x), tape: tape).logits
                let losses = tape.softmaxCrossEntropy(labels: Variable(y), logits: logits)
                let loss = tape.affine(tape.sum(losses), scale: 1 / Float(indices.count))
                tape.backward([(loss: loss, weight: 1)], into: .classifier)
                optimiser.step()
                tape.reset()
                total += Double(loss.value[0])
                progress(Progress(epoch: epoch, step: step + 1, stepsPerEpoch: batches.batchesPerEpoch, loss: loss.value[0]))
            }
            epochDone(EpochReport(epoch: epoch, meanLoss: total / Double(batches.batchesPerEpoch),
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
