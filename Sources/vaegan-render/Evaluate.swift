import ArgumentParser
import Console
import Evaluation
import Foundation
import MNIST
import RunFolder
import RunModel
import Tensor
import Training

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure what a run's latest checkpoint achieved, judged by the digit classifier.",
        discussion: Measure.glossary + "\n" + """

            Every random draw comes from --seed: the numbers are reproducible. The result is also kept \
            in the run as evaluation.json, which `report` shows. Without --run, and with no run in \
            vaegan-run, evaluates the shipped article model (and keeps nothing).
            """)

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var classifierOptions: ClassifierOptions
    @Flag(help: "Print one JSON object instead of a table.") var json = false
    @Option(help: "Random-z digits drawn per label.") var samples: Int = 1_000
    @Option(help: "Seed of the random z.") var seed: UInt64 = 0
    @Option(
        name: .customLong("test-digits"),
        help: "Use only the first N test digits (reconstruction, style sources, real reference); default: all.")
    var testDigits: Int?

    func validate() throws {
        try checkRange(samples, 2...10_000, "--samples")
        if let n = testDigits, n < 100 { throw ValidationError("--test-digits must be at least 100, got \(n)") }
    }

    func run() throws {
        let record: EvaluationRecord
        Threads.set(runOptions.threads)
        if runOptions.usesArticleModel {
            let article = try ArticleModel.open()
            Terminal.info(
                "no run in \(runOptions.run): evaluating the article model (\(ArticleModel.path))",
                quiet: runOptions.quiet || json)
            record = try EvaluationRecord.evaluate(
                article.model, config: article.config, named: ArticleModel.fileName,
                dataset: DatasetKind.mnist.rawValue,
                classifier: try classifierOptions.load(), dataDirectory: dataOptions.directory(for: .mnist),
                samples: samples, seed: seed, testDigits: testDigits)
        } else {
            record = try EvaluationRecord.evaluate(
                RunDirectory(runOptions.run), classifier: try classifierOptions.load(), dataDirectory: dataOptions.data,
                samples: samples, seed: seed, testDigits: testDigits)
        }
        if json {
            print(String(decoding: try EvaluationRecord.encoder().encode(record), as: UTF8.self))
            return
        }
        record.table().forEach { print($0) }
    }
}
