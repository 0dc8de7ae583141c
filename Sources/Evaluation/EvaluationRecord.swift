import AtomicIO
import Datasets
import Foundation
import RunFolder
import RunModel
import VAEGAN

/// evaluate's report with what it is a report of: printed by --json and kept in the run as
/// evaluation.json (snake_case keys, the report's fields at the top level).
public struct EvaluationRecord: Codable {
    public let run: String, model: ModelKind, variant: LossVariant, latentDim: Int, iteration: Int,
        dataset: DatasetKind, testDigits: Int
    /// What the model's data is. The file names its classes (`class_names`) where they are words;
    /// where they are numbers, the report's per-label columns count them.
    public let data: DataDescription
    public let report: Evaluator.Report

    enum Key: String, CodingKey { case run, model, variant, latentDim, iteration, dataset, testDigits, classNames }

    public init(
        run: String, model: ModelKind, variant: LossVariant, latentDim: Int, iteration: Int, dataset: DatasetKind,
        data: DataDescription, testDigits: Int, report: Evaluator.Report
    ) {
        self.run = run; self.model = model; self.variant = variant; self.latentDim = latentDim
        self.iteration = iteration; self.dataset = dataset; self.data = data; self.testDigits = testDigits
        self.report = report
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(run, forKey: .run); try c.encode(model, forKey: .model); try c.encode(variant, forKey: .variant)
        try c.encode(latentDim, forKey: .latentDim); try c.encode(iteration, forKey: .iteration)
        try c.encode(dataset, forKey: .dataset); try c.encode(testDigits, forKey: .testDigits)
        try c.encodeIfPresent(data.shownNames, forKey: .classNames)
        try report.encode(to: encoder)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        run = try c.decode(String.self, forKey: .run); model = try c.decode(ModelKind.self, forKey: .model)
        variant = try c.decode(LossVariant.self, forKey: .variant)
        latentDim = try c.decode(Int.self, forKey: .latentDim)
        iteration = try c.decode(Int.self, forKey: .iteration)
        dataset = try c.decode(DatasetKind.self, forKey: .dataset)
        testDigits = try c.decode(Int.self, forKey: .testDigits)
        report = try Evaluator.Report(from: decoder)
        data =
            try c.decodeIfPresent([String].self, forKey: .classNames).map(DataDescription.init(names:))
            ?? DataDescription(numbered: report.manifoldAccuracy.perLabel.count)
    }

    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// The decoder of what `encoder` writes.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// The run's evaluation.json, or nil if it has none or it cannot be read.
    public static func read(_ dir: RunDirectory) -> EvaluationRecord? {
        guard let data = FileManager.default.contents(atPath: dir.evaluationPath) else { return nil }
        return try? decoder().decode(EvaluationRecord.self, from: data)
    }
}

public extension EvaluationRecord {
    /// Evaluate the run's latest checkpoint and keep the result as the run's evaluation.json; or,
    /// with `checkpoint`, the weights the run kept at that iteration (`--checkpoint`), keeping
    /// nothing: evaluation.json is the latest checkpoint's. `dataDirectory` overrides where
    /// config.json says the dataset is.
    static func evaluate(
        _ dir: RunDirectory, checkpoint: Int? = nil, classifier: Classifier, dataDirectory: String?,
        samples: Int = 1_000, seed: UInt64 = 0, testDigits: Int? = nil, sheetInputs: [Int]? = nil
    ) throws -> EvaluationRecord {
        let config = try RunConfig.read(from: dir.path)
        let model = try dir.model(config: config, checkpoint: checkpoint)
        let record = try evaluate(
            model, config: config.model, named: dir.path, dataset: config.dataset, classifier: classifier,
            dataDirectory: dataDirectory ?? config.dataDirectory, samples: samples, seed: seed, testDigits: testDigits,
            sheetInputs: sheetInputs)
        if checkpoint == nil {
            try AtomicFile.write(try EvaluationRecord.encoder(pretty: true).encode(record), to: dir.evaluationPath)
        }
        return record
    }

    /// Evaluate a model (a run's, or the shipped article model), named `name` in the record.
    static func evaluate(
        _ model: LatestModel, config: ModelConfig, named name: String, dataset: DatasetKind, classifier: Classifier,
        dataDirectory: String, samples: Int = 1_000, seed: UInt64 = 0, testDigits: Int? = nil,
        sheetInputs: [Int]? = nil
    ) throws -> EvaluationRecord {
        let fullTest = try Dataset.load(directory: dataDirectory).test
        let test = testDigits.map { fullTest.prefix($0) } ?? fullTest
        if let label = test.labels.max(), Int(label) >= config.data.classes.count {
            throw RunError.invalid(
                file: dataDirectory,
                problem: "holds label \(label), but the model takes \(config.data.classes.count) classes")
        }
        guard classifier.judges(config.data) else {
            let data = config.data
            let mismatch =
                classifier.classCount != data.classes.count
                ? "has \(data.classes.count) classes, but the classifier tells \(classifier.classCount) apart"
                : "has images of \(data.side)x\(data.side)x\(data.channels), but the classifier reads "
                    + "\(classifier.side)x\(classifier.side)x\(classifier.channels)"
            throw RunError.invalid(
                file: name, problem: mismatch + "; give a classifier of its data (train-classifier --data)")
        }
        if let sheetInputs, let problem = SheetInputs.problem(sheetInputs, test: test) {
            throw RunError.invalid(file: dataDirectory, problem: problem.recordLine)
        }
        var evaluator = Evaluator(classifier: classifier, test: test)
        // The article's ten 7s by default on MNIST, where the test set holds them.
        let article = ArticleModel.styleTransferInputs.testIndices
        evaluator.sheetInputs =
            sheetInputs
            ?? (dataset == .mnist && article.allSatisfy { $0 < test.count } ? article : nil)
        evaluator.samplesPerLabel = samples
        evaluator.seed = seed
        return EvaluationRecord(
            run: name, model: config.kind, variant: config.variant, latentDim: config.latentDim,
            iteration: model.iteration, dataset: dataset, data: config.data, testDigits: test.count,
            report: evaluator.evaluate(weights: model.inference.weights, config: config))
    }
}

public extension EvaluationRecord {
    /// evaluate's table, a line each: label accuracies (overall and per label), then each measure.
    func table() -> [String] {
        var lines: [String] = []
        let r = report
        func pct(_ v: Double) -> String { String(format: "%5.1f%%", 100 * v) }
        func row(_ name: String, _ a: Evaluator.Accuracy) -> String {
            name.padding(toLength: 26, withPad: " ", startingAt: 0) + pct(a.overall) + "   "
                + a.perLabel.map(pct).joined(separator: " ")
        }
        lines.append(
            "\(run): \(model.rawValue) (\(variant.rawValue)), latent \(latentDim), iteration \(iteration), "
                + dataset.rawValue)
        if let classNames = data.shownNames {
            lines.append(
                "classes   " + classNames.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: " · "))
        }
        lines.append(
            "label accuracy".padding(toLength: 26, withPad: " ", startingAt: 0) + "   all   "
                + r.manifoldAccuracy.perLabel.indices.map { String(format: "%6d", $0) }.joined(separator: " "))
        lines.append(row("  manifold grids", r.manifoldAccuracy))
        lines.append(row("  random z", r.randomAccuracy))
        lines.append(row("  style transfer (target)", r.styleTransferAccuracy))
        lines.append(
            String(
                format: "style spread              %.3f (a sheet row's pairwise pixel distance / its inputs')",
                r.styleSpreadRatio))
        lines.append("manifold variation        " + Measure.manifoldVariation.value(in: r))
        lines.append("  over its own axes       " + Measure.manifoldVariationOwnAxes.value(in: r))
        if let axes = r.manifoldAxes {
            lines.append(
                "  own axes (label: dims)  "
                    + axes.enumerated().map { "\($0.offset): \($0.element.map(String.init).joined(separator: ","))" }
                    .joined(separator: "  "))
        }
        if let c = r.styleCarry {
            lines.append(
                String(
                    format: "style carry               ink %.3f  width %.3f  slant %.3f  (generated/input ink %.3f)",
                    c.inkCarry, c.widthCarry, c.slantCarry, c.inkRatio))
        }
        if r.sheetCarry != nil {
            lines.append("  one sheet (--inputs)    " + Measure.sheetCarry.value(in: r))
        }
        if let c = r.colourCarry {
            lines.append(
                String(
                    format: "colour carry              hue %.3f  saturation %.3f  brightness %.3f",
                    c.hueCarry, c.saturationCarry, c.brightnessCarry))
        }
        lines.append(
            String(format: "reconstruction (test set) BCE %.4f  MSE %.4f", r.reconstructionBce, r.reconstructionMse))
        if let d = r.reconstructionInkDeciles {
            lines.append(
                "  ink by input decile     "
                    + d.map { String(format: "%.3f>%.3f", $0.inputInk, $0.reconstructionInk) }.joined(separator: " "))
        }
        lines.append(
            String(
                format: "sharpness                 %.3f (generated %.4f, real %.4f)", r.sharpnessRatio,
                r.sharpnessGenerated,
                r.sharpnessReal))
        lines.append(
            "Fréchet distance          " + Measure.frechetDistance.value(in: r)
                + " (classifier features, \(r.manifoldAccuracy.perLabel.count * r.samplesPerLabel) generated vs \(testDigits) real)"
        )
        lines.append(
            String(format: "diversity                 %.3f (generated / real, mean over labels)", r.diversityRatio))
        return lines
    }
}
