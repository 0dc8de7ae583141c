import ArgumentParser
import Evaluation
import Foundation
import RunFolder

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure what a run's latest checkpoint achieved, judged by the digit classifier.",
        discussion: """
        label accuracy      the classifier agrees with the conditioning label: on the 10 manifold
                            grids, and on digits decoded from z ~ N(0, I) (--samples per label)
        style transfer      the same with the target label, for 100 test digits per label each
                            re-drawn with the nine other labels
        reconstruction      pixel BCE and MSE of dec(z_mean(x), y) over the test set
        sharpness           mean image-gradient magnitude of random-z digits / real test digits
        Fréchet distance    between classifier features of random-z digits and the test set
        diversity           mean within-label feature distance, generated / real (1 = as varied)
        style spread        how much the columns of a style-transfer sheet differ: mean pairwise
                            pixel distance of one row / of the real digits it came from
        Every random draw comes from --seed: the numbers are reproducible. The result is also kept \
        in the run as evaluation.json, which `report` shows.
        """)

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var classifierOptions: ClassifierOptions
    @Flag(help: "Print one JSON object instead of a table.") var json = false
    @Option(help: "Random-z digits drawn per label.") var samples: Int = 1_000
    @Option(help: "Seed of the random z.") var seed: UInt64 = 0
    @Option(name: .customLong("test-digits"), help: "Use only the first N test digits (reconstruction, style sources, real reference); default: all.")
    var testDigits: Int?

    func validate() throws {
        guard (2...10_000).contains(samples) else { throw ValidationError("--samples must be between 2 and 10000, got \(samples)") }
        if let n = testDigits, n < 100 { throw ValidationError("--test-digits must be at least 100, got \(n)") }
    }

    func run() throws {
        let dir = RunDirectory(runOptions.run)
        let record = try EvaluationRecord.evaluate(dir, classifier: try classifierOptions.load(), dataDirectory: dataOptions.data,
                                                   samples: samples, seed: seed, testDigits: testDigits, threads: runOptions.threads)
        if json {
            print(String(decoding: try EvaluationRecord.encoder().encode(record), as: UTF8.self))
            return
        }
        record.table().forEach { print($0) }
    }
}
