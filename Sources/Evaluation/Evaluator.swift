import Datasets
import Foundation
import RunModel
import Tensor
import VAEGAN

/// Measures what a trained model achieved (`vaegan-render evaluate`): does it draw the digit it
/// was asked for, does style transfer keep the target label, how well does it reconstruct, how
/// sharp and how varied are its digits next to real ones. Every number comes from the shipped
/// `Classifier`; every random draw from `seed`.
public struct Evaluator {
    public let classifier: Classifier
    public let test: DigitSet
    /// Random-z digits drawn per label (accuracy, sharpness, Fréchet distance, diversity).
    public var samplesPerLabel = 1_000
    /// Test digits per label whose style is moved to the nine other labels.
    public var styleSourcesPerLabel = 100
    /// Test digits reconstructed (the whole test set by default).
    public var reconstructionCount: Int?
    /// Columns of a style-transfer sheet: the first test digits of each label (`styleSpreadRatio`).
    public var styleSheetColumns = 10
    /// The test digits (indices, all of one label) of the sheet whose carry is `Report.sheetCarry`:
    /// the article's ten 7s for MNIST, or what `evaluate --inputs` names; nil: none.
    public var sheetInputs: [Int]?
    /// Digits per label compared pairwise for diversity.
    public var diversityPerLabel = 500
    public var seed: UInt64 = 0
    /// Images per decoder/classifier pass.
    public var batchSize = 250

    public init(classifier: Classifier, test: DigitSet) { self.classifier = classifier; self.test = test }

    /// Label accuracy, overall and per label.
    public struct Accuracy: Codable, Equatable {
        public let overall: Double
        public let perLabel: [Double]
        init(_ a: (overall: Double, perLabel: [Double])) { overall = a.overall; perLabel = a.perLabel }
    }

    public struct Report: Codable {
        /// The classifier's agreement with the conditioning label on the 10 manifold grids.
        public let manifoldAccuracy: Accuracy
        /// ... on digits decoded from z ~ N(0, I).
        public let randomAccuracy: Accuracy
        /// ... with the target label of style-transfer outputs (per target label).
        public let styleTransferAccuracy: Accuracy
        /// How much the columns of a style-transfer sheet differ: the mean pairwise pixel distance
        /// between the `styleSheetColumns` digits of one label re-drawn with one other label, over
        /// the distance between the real digits they came from (1 = as different as the inputs;
        /// 0 = every column the same digit).
        public let styleSpreadRatio: Double
        public let reconstructionBce: Double
        public let reconstructionMse: Double
        public let sharpnessGenerated: Double
        public let sharpnessReal: Double
        /// sharpness of random-z digits / sharpness of real test digits.
        public let sharpnessRatio: Double
        /// Between classifier features of random-z digits and of the real test set.
        public let frechetDistance: Double
        /// Mean within-label feature distance of generated digits, per label.
        public let diversityGenerated: [Double]
        public let diversityReal: [Double]
        /// Mean over labels of generated / real diversity (1 = as varied as real digits).
        public let diversityRatio: Double
        public let samplesPerLabel: Int
        /// How much the manifold grids vary across their tiles, mean over labels, and per label
        /// (absent from evaluations made before it was measured).
        public let manifoldVariation: ManifoldVariation?
        public let manifoldVariationPerLabel: [ManifoldVariation]?
        /// Each label's own manifold axes (`LatentAxes`: the two dimensions of widest z_mean
        /// variance over its test digits, [along a row, down the columns]), and the variation of
        /// the manifolds drawn over them, mean over labels.
        public let manifoldAxes: [[Int]]?
        public let manifoldVariationOwnAxes: ManifoldVariation?
        /// How much of the inputs' ink, width and slant the style-transfer sheets carry
        /// (`StyleCarry`): of each label's first `styleSourcesPerLabel` test digits re-drawn as
        /// every other label, averaged over the labels; and of the one sheet of `sheetInputs`.
        /// Absent from evaluations made before they were measured.
        public let styleCarry: StyleCarry?
        public let sheetCarry: StyleCarry?
        public let sheetInputs: [Int]?
        /// The test set's reconstructions by deciles of their inputs' ink: thin in, thin out?
        public let reconstructionInkDeciles: [InkDecile]?
        /// A colour set's: how much of the inputs' hue, saturation and brightness the same sheets
        /// as `styleCarry` carry (`ColourCarry`); absent for grey sets.
        public var colourCarry: ColourCarry? = nil
    }

    /// What the real test set scores, computed once and compared against.
    public struct RealReference {
        public let sharpness: Double
        public let features: FrechetDistance.Gaussian
        public let diversity: [Double]
    }

    public func realReference() -> RealReference {
        let images = Batch.images(test, 0..<test.count)
        let judged = classifier.judge(images, batchSize: batchSize)
        let labels = test.labels.map(Int.init)
        let picked = Self.firstPerLabel(labels, diversityPerLabel, classes: classifier.classCount)
        return RealReference(
            sharpness: Metrics.sharpness(images.luminance),
            features: FrechetDistance.Gaussian(
                rows: UnsafeBufferPointer(judged.features.buffer), count: test.count, dimension: Classifier.featureCount
            ),
            diversity: Metrics.diversity(
                features: Self.gatherRows(judged.features, picked), labels: picked.map { labels[$0] },
                classes: classifier.classCount))
    }

    public func evaluate(weights: ModelWeights, config: ModelConfig, real: RealReference? = nil) -> Report {
        precondition(classifier.judges(config.data), "the classifier judges the model's data")
        let real = real ?? realReference()
        let inference = Inference(weights: weights, config: config)

        // The manifold grids, as drawn in the films: are they of their label, and do they vary?
        let grids = config.data.classes.labels.map { inference.manifoldImages(label: $0) }
        let manifold = Self.gridAgreement(classifier, cells: grids, batchSize: batchSize).agreement
        let variation = grids.map { ManifoldVariation(tiles: $0.luminance) }
        let axes = config.data.classes.labels.map { LatentAxes.widest(inference, test: test, label: $0) }
        let ownVariation = axes.enumerated().map {
            ManifoldVariation(tiles: inference.manifoldImages(label: $0.offset, axes: $0.element).luminance)
        }

        // Random z, balanced labels.
        var rng = RNG(seed: seed, stream: 7)
        let randomLabels = config.data.classes.labels.flatMap { Array(repeating: $0, count: samplesPerLabel) }
        let z = Tensor.normal([randomLabels.count, config.latentDim], rng: &rng)
        let generated = decode(inference, z: z, labels: randomLabels)
        let judged = classifier.judge(generated, batchSize: batchSize)
        let random = Metrics.agreement(
            predicted: judged.labels, intended: randomLabels, classes: config.data.classes.count)
        let picked = Self.firstPerLabel(randomLabels, diversityPerLabel, classes: config.data.classes.count)
        let diversity = Metrics.diversity(
            features: Self.gatherRows(judged.features, picked), labels: picked.map { randomLabels[$0] },
            classes: config.data.classes.count)
        let fd = FrechetDistance.distance(
            FrechetDistance.Gaussian(
                rows: UnsafeBufferPointer(judged.features.buffer), count: randomLabels.count,
                dimension: Classifier.featureCount),
            real.features)
        let sharpness = Metrics.sharpness(generated.luminance)

        // Style transfer: each source digit's z_mean decoded with every other label.
        let sources = Self.firstPerLabel(
            test.labels.map(Int.init), styleSourcesPerLabel, classes: config.data.classes.count)
        let means = encodeMeans(inference, indices: sources)
        var styleZ: [Float] = [], styleTargets: [Int] = []
        for (k, i) in sources.enumerated() {
            for target in config.data.classes.labels where target != Int(test.labels[i]) {
                styleZ += UnsafeBufferPointer(start: means.data + k * config.latentDim, count: config.latentDim)
                styleTargets.append(target)
            }
        }
        let styled = decode(
            inference, z: Tensor(shape: [styleTargets.count, config.latentDim], values: styleZ), labels: styleTargets)
        let style = Metrics.agreement(
            predicted: classifier.judge(styled, batchSize: batchSize).labels, intended: styleTargets,
            classes: config.data.classes.count)
        let spread = styleSpread(inference, config: config)
        let sheets = config.data.classes.labels.compactMap { source in
            sheet(inference, config: config, inputs: Array(test.indices(ofLabel: source).prefix(styleSourcesPerLabel)))
        }
        let carry = StyleCarry(
            mean: sheets.compactMap { StyleCarry(tiles: $0.tiles.luminance, rows: $0.rows, inputRow: $0.inputRow) })
        let colourCarry =
            config.data.isColour
            ? ColourCarry(
                mean: sheets.compactMap { ColourCarry(tiles: $0.tiles, rows: $0.rows, inputRow: $0.inputRow) })
            : nil
        let inputsCarry = sheetInputs.flatMap { sheetCarry(inference, config: config, inputs: $0) }

        // Reconstructions of the test set, in batches (weighted by batch size).
        let n = min(reconstructionCount ?? test.count, test.count)
        var bce = 0.0, mse = 0.0
        // Each digit's ink and its reconstruction's, batch by batch (not the images themselves).
        var inks: [(input: Double, reconstruction: Double)] = []
        for start in stride(from: 0, to: n, by: batchSize) {
            let rows = start..<min(n, start + batchSize)
            let x = Batch.images(test, rows)
            let r = inference.reconstruct(
                x, labels: Batch.oneHot(rows.map { Int(test.labels[$0]) }, data: inference.config.data))
            let e = Metrics.reconstructionError(original: x, reconstructed: r)
            bce += e.bce * Double(rows.count)
            mse += e.mse * Double(rows.count)
            inks += zip(InkDecile.inks(x.luminance), InkDecile.inks(r.luminance)).map { ($0, $1) }
        }
        let deciles = n >= 10 ? InkDecile.deciles(inks) : nil

        let ratios = zip(diversity, real.diversity).map { $0 / $1 }.filter(\.isFinite)
        var report = Report(
            manifoldAccuracy: Accuracy(manifold), randomAccuracy: Accuracy(random),
            styleTransferAccuracy: Accuracy(style),
            styleSpreadRatio: spread,
            reconstructionBce: bce / Double(max(n, 1)), reconstructionMse: mse / Double(max(n, 1)),
            sharpnessGenerated: sharpness, sharpnessReal: real.sharpness, sharpnessRatio: sharpness / real.sharpness,
            frechetDistance: fd, diversityGenerated: diversity, diversityReal: real.diversity,
            diversityRatio: ratios.reduce(0, +) / Double(max(ratios.count, 1)), samplesPerLabel: samplesPerLabel,
            manifoldVariation: ManifoldVariation(mean: variation), manifoldVariationPerLabel: variation,
            manifoldAxes: axes.map { [$0.column, $0.row] },
            manifoldVariationOwnAxes: ManifoldVariation(mean: ownVariation), styleCarry: carry,
            sheetCarry: inputsCarry, sheetInputs: inputsCarry == nil ? nil : sheetInputs,
            reconstructionInkDeciles: deciles)
        report.colourCarry = colourCarry
        return report
    }

    /// The carry of the sheet whose inputs are the test digits `inputs` (all of one label), read
    /// on its luminance.
    public func sheetCarry(_ inference: Inference, config: ModelConfig, inputs: [Int]) -> StyleCarry? {
        sheet(inference, config: config, inputs: inputs).flatMap {
            StyleCarry(tiles: $0.tiles.luminance, rows: $0.rows, inputRow: $0.inputRow)
        }
    }

    /// The sheet whose inputs are the test digits `inputs` (all of one label): the inputs as their
    /// label's row, each other label's row re-drawn from their z_mean; its tiles row by row.
    func sheet(_ inference: Inference, config: ModelConfig, inputs: [Int]) -> (
        tiles: Tensor, rows: Int, inputRow: Int
    )? {
        guard let first = inputs.first else { return nil }
        let source = Int(test.labels[first])
        let x = Batch.images(test, inputs)
        let targets = config.data.classes.labels.filter { $0 != source }
        var rows = inference.restyle(x, from: source, to: targets)
        rows.insert(x, at: source)
        return (Tensor.concatRows(rows), rows.count, source)
    }

    /// `Report.styleSpreadRatio`: the sheets of every source label, each row against its inputs.
    public func styleSpread(_ inference: Inference, config: ModelConfig) -> Double {
        var generated = 0.0, real = 0.0, rows = 0, sheets = 0
        for source in config.data.classes.labels {
            let columns = Array(test.indices(ofLabel: source).prefix(styleSheetColumns))
            guard columns.count >= 2 else { continue }
            let x = Batch.images(test, columns)
            for row in inference.restyle(x, from: source, to: config.data.classes.labels.filter { $0 != source }) {
                generated += Metrics.pairwiseDistance(row)
                rows += 1
            }
            real += Metrics.pairwiseDistance(x)
            sheets += 1
        }
        return (generated / Double(max(rows, 1))) / (real / Double(max(sheets, 1)))
    }

    func decode(_ inference: Inference, z: Tensor, labels: [Int]) -> Tensor {
        inBatches(labels.count) { rows in
            inference.decode(z.rows(rows), labels: Batch.oneHot(Array(labels[rows]), data: inference.config.data))
        }
    }

    func encodeMeans(_ inference: Inference, indices: [Int]) -> Tensor {
        inBatches(indices.count) { rows in
            let part = indices[rows]
            return inference.encodeMean(
                Batch.images(test, part),
                labels: Batch.oneHot(part.map { Int(test.labels[$0]) }, data: inference.config.data))
        }
    }

    /// `body` over consecutive ranges of `batchSize` rows of 0..<n, its outputs stacked.
    func inBatches(_ n: Int, _ body: (Range<Int>) -> Tensor) -> Tensor {
        Tensor.concatRows(stride(from: 0, to: n, by: batchSize).map { body($0..<min(n, $0 + batchSize)) })
    }

    /// Indices of the first `n` entries of each label, label by label.
    static func firstPerLabel(_ labels: [Int], _ n: Int, classes: Int) -> [Int] {
        (0..<classes).flatMap { l in labels.indices.filter { labels[$0] == l }.prefix(n) }
    }

    /// How often the classifier reads label k in label k's manifold cells (`cells[k]`, [n, 28, 28, 1]),
    /// with the cells stacked into one batch of images.
    static func gridAgreement(_ classifier: Classifier, cells: [Tensor], batchSize: Int)
        -> (images: Tensor, agreement: (overall: Double, perLabel: [Double]))
    {
        let images = Tensor.concatRows(cells)
        let labels = cells.indices.flatMap { Array(repeating: $0, count: cells[$0].shape[0]) }
        return (
            images,
            Metrics.agreement(
                predicted: classifier.judge(images, batchSize: batchSize).labels, intended: labels, classes: cells.count
            )
        )
    }

    static func gatherRows(_ t: Tensor, _ rows: [Int]) -> Tensor {
        let f = t.count / max(t.shape[0], 1)
        let out = Tensor(shape: [rows.count] + t.shape.dropFirst(), uninitialized: true)
        for (k, r) in rows.enumerated() { (out.data + k * f).update(from: t.data + r * f, count: f) }
        return out
    }
}
