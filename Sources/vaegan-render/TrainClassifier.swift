import ArgumentParser
import AtomicIO
import Console
import Datasets
import Evaluation
import Foundation
import Tensor

struct TrainClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-classifier",
        abstract: "Train the classifier that evaluate uses as its judge: MNIST's digits, or the classes of --data.",
        discussion: """
            A small CNN (two 3x3 convolutions, max-pooling, a 128-unit dense layer) trained with this
            program's own engine: mean softmax cross-entropy, TensorFlow-1 RMSProp with a learning rate halved every epoch. The shipped
            Assets/classifier.safetensors was made by exactly this command with its defaults
            (`vaegan-render train-classifier --out Assets/classifier.safetensors`); the same seed and
            thread count give the same weights. --data trains one of other data: an IDX folder (a run's \
            data/ folder holds one's own set so), a Keras .npz, .npy files or PNG folders, read as \
            train-and-record reads them; the file records the data's checksum, and evaluate --classifier \
            takes it for a run of that data.
            """)

    @OptionGroup var dataOptions: DataOptions

    @Option(help: ArgumentHelp("Where to write the weights (safetensors).", valueName: "file")) var out: String =
        "classifier.safetensors"
    @Option(help: "Passes over the 60,000 training digits.") var epochs: Int = Self.shipped.epochs
    @Option(name: .customLong("batch-size"), help: "Digits per step.") var batchSize: Int = Self.shipped.batchSize
    @Option(
        name: .customLong("learning-rate"),
        help: "RMSProp learning rate of the first epoch; it halves after every epoch.")
    var learningRate: Float = Self.shipped.learningRate
    @Option(help: "Seed of the initial weights, the data order and dropout.") var seed: UInt64 = Self.shipped.seed
    @OptionGroup var work: WorkOptions

    /// The recipe of the shipped classifier of MNIST's digits.
    static let shipped = ClassifierTraining(data: .digits)

    func validate() throws {
        try checkRange(epochs, 1...100, "--epochs")
        try checkRange(batchSize, 1...10_000, "--batch-size")
        guard learningRate > 0, learningRate < 1 else {
            throw ValidationError("--learning-rate must be in (0, 1), got \(learningRate)")
        }
        guard out.hasSuffix(".safetensors") else { throw ValidationError("--out \(out): write a .safetensors file") }
    }

    func run() throws {
        try AtomicFile.checkWritable(out)
        let (threadCount, quiet) = (work.threads, work.quiet)
        let (data, description) = try ClassifierTraining.trainingSet(given: dataOptions.data) {
            Terminal.info($0, quiet: quiet)
        }
        try data.checkBatchSize(batchSize)
        Threads.set(threadCount)
        var training = ClassifierTraining(data: description)
        training.epochs = epochs; training.batchSize = batchSize; training.learningRate = learningRate;
        training.seed = seed
        Terminal.info(training.summary(stepsPerEpoch: data.train.count / batchSize, threads: threadCount), quiet: quiet)
        let line = ProgressLine(quiet: quiet, units: ("steps", "steps/s"))
        let (_, accuracy) = try training.trainAndSave(
            on: data, to: out, threads: threadCount, source: dataOptions.data.map { ($0, data.checksum) },
            progress: { line.draw(done: $0.done, total: $0.total, $0.line) },
            epochDone: { e in
                line.end()
                Terminal.info(e.summary, quiet: quiet)
            })
        Terminal.info(
            String(
                format: "wrote %@ (test accuracy %.2f%%) in %@", out, 100 * accuracy,
                durationText(Date().timeIntervalSince(line.start))),
            quiet: quiet)
    }
}
