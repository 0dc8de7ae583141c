import ArgumentParser
import AtomicIO
import Evaluation
import Foundation
import MNIST
import Tensor

struct TrainClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-classifier",
        abstract: "Train the MNIST digit classifier that evaluate uses as its judge.",
        discussion: """
        A small CNN (two 3x3 convolutions, max-pooling, a 128-unit dense layer) trained with this
        program's own engine: mean softmax cross-entropy, TensorFlow-1 RMSProp with a learning rate halved every epoch. The shipped
        Assets/classifier.safetensors was made by exactly this command with its defaults
        (`vaegan-render train-classifier --out Assets/classifier.safetensors`); the same seed and
        thread count give the same weights.
        """)

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("Where to write the weights (safetensors).", valueName: "file")) var out: String = "classifier.safetensors"
    @Option(help: "Passes over the 60,000 training digits.") var epochs: Int = 5
    @Option(name: .customLong("batch-size"), help: "Digits per step.") var batchSize: Int = 100
    @Option(name: .customLong("learning-rate"), help: "RMSProp learning rate of the first epoch; it halves after every epoch.") var learningRate: Float = 1e-3
    @Option(help: "Seed of the initial weights, the data order and dropout.") var seed: UInt64 = 0
    @OptionGroup var work: WorkOptions

    func validate() throws {
        guard (1...100).contains(epochs) else { throw ValidationError("--epochs must be between 1 and 100, got \(epochs)") }
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 10000, got \(batchSize)") }
        guard learningRate > 0, learningRate < 1 else { throw ValidationError("--learning-rate must be in (0, 1), got \(learningRate)") }
        guard out.hasSuffix(".safetensors") else { throw ValidationError("--out \(out): write a .safetensors file") }
    }

    func run() throws {
        try AtomicFile.checkWritable(out)
        let data = try Dataset.load(directory: dataOptions.directory(for: .mnist))
        let (threadCount, quiet) = (work.threads, work.quiet)
        Threads.set(threadCount)
        var training = ClassifierTraining()
        training.epochs = epochs; training.batchSize = batchSize; training.learningRate = learningRate; training.seed = seed
        Terminal.info("training the classifier: \(epochs) epochs of \(data.train.count / batchSize) steps, \(threadCount) threads, seed \(seed)", quiet: quiet)
        let line = ProgressLine(quiet: quiet)
        var accuracy = 0.0
        let classifier = training.train(on: data, progress: { p in
            line.draw(done: p.epoch * p.stepsPerEpoch + p.step, total: epochs * p.stepsPerEpoch) { rate, eta in
                String(format: "epoch %d/%d  step %d/%d  %.1f steps/s  ETA %@  loss %.4f", p.epoch + 1, epochs, p.step, p.stepsPerEpoch, rate, eta, p.loss)
            }
        }, epochDone: { e in
            accuracy = e.testAccuracy
            line.end()
            Terminal.info(String(format: "epoch %d: mean loss %.4f, test accuracy %.2f%%", e.epoch + 1, e.meanLoss, 100 * e.testAccuracy), quiet: quiet)
        })
        try classifier.save(path: out, metadata: [
            "format": "vaegan-render classifier", "command": "vaegan-render train-classifier --epochs \(epochs) --batch-size \(batchSize) "
                + "--learning-rate \(learningRate) --seed \(seed) --threads \(threadCount)",
            "test_accuracy": String(format: "%.4f", accuracy),
        ])
        Terminal.info(String(format: "wrote %@ (test accuracy %.2f%%) in %@", out, 100 * accuracy, Terminal.duration(Date().timeIntervalSince(line.start))), quiet: quiet)
    }
}
