import Datasets
import RunFolder
import RunModel

extension EvaluationRecord {
    /// What one evaluation draws and measures beside the model: random-z digits per label, the
    /// seed of every random draw, the test digits used (nil: all) and one sheet's input digits.
    public struct Settings: Sendable {
        public var samples: Int
        public var seed: UInt64
        public var testDigits: Int?
        public var sheetInputs: [Int]?

        public init(samples: Int, seed: UInt64, testDigits: Int?, sheetInputs: [Int]?) {
            self.samples = samples; self.seed = seed; self.testDigits = testDigits; self.sheetInputs = sheetInputs
        }
    }

    /// `evaluate`: the latest checkpoint of the run in `run` (or the weights it kept at
    /// `checkpoint`, kept nowhere), judged by `judge`'s classifier of its settings and kept as its
    /// evaluation.json; or, with `article` (no run to evaluate), the shipped
    /// article model on MNIST, judged by the classifier `named`, kept nowhere (said with `say`).
    /// `dataDirectory` overrides where the test digits are.
    public static func evaluate(
        runIn run: String, article: Bool, checkpoint: Int?, settings: Settings, dataDirectory: String?,
        named: RunJudge.Named,
        judge: (RunConfig) throws -> Classifier, say: (String) -> Void
    ) throws -> EvaluationRecord {
        let s = settings
        guard article else {
            let classifier = try judge(try RunConfig.read(from: run))
            return try evaluate(
                RunDirectory(run), checkpoint: checkpoint, classifier: classifier, dataDirectory: dataDirectory,
                samples: s.samples,
                seed: s.seed, testDigits: s.testDigits, sheetInputs: s.sheetInputs)
        }
        let opened = try ArticleModel.open()
        say("no run in \(run): evaluating the article model (\(ArticleModel.path))")
        return try evaluate(
            opened.model, config: opened.config, named: ArticleModel.fileName, dataset: .mnist,
            classifier: try named.load(), dataDirectory: dataDirectory ?? DatasetKind.mnist.defaultDirectory,
            samples: s.samples, seed: s.seed, testDigits: s.testDigits, sheetInputs: s.sheetInputs)
    }

    /// A record or a measure as one line of JSON, as `evaluate --json` prints it.
    public static func jsonLine(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }
}
