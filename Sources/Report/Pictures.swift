import Canvas
import Datasets
import Evaluation
import Foundation
import RunFolder
import RunModel
import RunPictures
import VAEGAN

/// The sheets and plots of a run, drawn from its files, for `export` and `report`.
public enum Pictures {
    /// The most rows a style-transfer sheet has by default: a sheet of 64 rows reads as none.
    public static let sheetRows = 16

    /// The rows of a style-transfer sheet from `source` among `data`'s classes: every label up to
    /// `sheetRows`, else the first `sheetRows` with the source among them.
    public static func sheetLabels(source: Int, data: DataDescription) -> [Int] {
        let classes = data.classes.count
        guard classes > sheetRows else { return Array(0..<classes) }
        let first = Array(0..<sheetRows)
        return first.contains(source) ? first : Array(0..<(sheetRows - 1)) + [source]
    }

    /// The notebook's style-transfer matrix: the first `count` test digits of `source` (or the
    /// test digits `indices`, which must be of that label), encoded with their own label and
    /// decoded with each label of `rows` (default `sheetLabels`), named by the model's classes.
    public static func styleTransfer(
        _ inference: Inference, test: DigitSet, source: Int, count: Int = 10, indices: [Int]? = nil,
        rows: [Int]? = nil
    ) -> Surface {
        let data = inference.config.data
        let x = Batch.images(test, indices ?? Array(test.indices(ofLabel: source).prefix(count)))
        // The inputs' row is always there: picked rows without the source get it, in label order.
        let labels =
            rows.map { Set($0 + [source]).sorted() } ?? sheetLabels(source: source, data: data)
        let decoded = inference.restyle(x, from: source, to: labels).map(Snapshot.digits)
        return Sheets.styleTransfer(
            originals: Snapshot.digits(x), decoded: decoded, labels: labels, sourceLabel: source, data: data)
    }

    /// The sheet a style-transfer picture of a run's list shows: the first ten test digits of its
    /// label, or the article's own ten inputs; nil for a picture of another kind.
    public static func sheet(_ kind: RunPicture.Kind, _ inference: Inference, test: DigitSet) -> Surface? {
        switch kind {
        case .styleTransfer(let label): return styleTransfer(inference, test: test, source: label)
        case .articleStyleTransfer:
            let inputs = ArticleModel.styleTransferInputs
            return styleTransfer(inference, test: test, source: inputs.label, indices: inputs.testIndices)
        default: return nil
        }
    }

    public static func reconstructions(_ s: Snapshot) -> Surface {
        Sheets.reconstructions(
            originals: s.originals, reconstructions: s.reconstructions, batch: s.batchNumber, channels: s.channels)
    }

    /// z_mean (dims 0 and 1) of the snapshot's test digits of `labels`, each label in its colour
    /// (the ten colours repeat past ten labels), named by `data`'s classes.
    public static func zScatter(_ s: Snapshot, labels: [Int], data: DataDescription) -> Surface {
        let name = { (l: Int) in data.classes[l] }
        let which = labels.count == 1 ? "test images of label \(name(labels[0]))" : "test images"
        var plot = Plot(
            title: "z_mean of \(which), batch \(s.batchNumber)", xLabel: "z[0]", yLabel: "z[1]", xRange: -5...5,
            yRange: -5...5)
        plot.width = 700; plot.height = 700
        plot.series = labels.map { l in
            let pts = zip(s.zPoints, s.zLabels).filter { Int($0.1) == l }.map { (Double($0.0.x), Double($0.0.y)) }
            return Plot.Series(
                name: "label \(name(l))", points: pts, color: Plot.palette[l % Plot.palette.count], asPoints: true)
        }
        return plot.render()
    }

    /// The loss curves of losses.csv, log scale.
    public static func losses(_ dir: RunDirectory, config: RunConfig) throws -> Surface {
        let rows = try LossLog.read(path: dir.lossesPath)
        guard rows.count >= 2 else {
            throw RunError.missing(file: dir.lossesPath, what: "holds fewer than two iterations; nothing to plot")
        }
        let cvae = config.model.kind == .cvae
        var series = [
            Plot.Series(name: "L_prior", points: rows.map { (Double($0.iteration), $0.prior) }, color: Plot.palette[0]),
            Plot.Series(
                name: cvae ? "L_rec (BCE)" : "L_dis_llike",
                points: rows.map { (Double($0.iteration), $0.reconstruction) },
                color: Plot.palette[1])
        ]
        if !cvae {
            series.append(
                Plot.Series(
                    name: "L_GAN", points: rows.compactMap { r in r.gan.map { (Double(r.iteration), $0) } },
                    color: Plot.palette[2])
            )
        }
        let values = series.flatMap { $0.points.map(\.1) }.filter { $0 > 0 && $0.isFinite }
        let lo = pow(10, floor(log10(values.min() ?? 1e-3))), hi = pow(10, ceil(log10(values.max() ?? 1)))
        var plot = Plot(
            title: "Losses (\(title(config)))", xLabel: "iteration",
            yLabel: "loss (log scale)", xRange: 0...Double(rows.last!.iteration), yRange: lo...hi)
        plot.logY = true
        plot.series = series
        return plot.render()
    }

    /// Label accuracy and sharpness of every snapshot, from metrics.csv.
    public static func metrics(_ dir: RunDirectory, config: RunConfig) throws -> Surface {
        guard FileManager.default.fileExists(atPath: dir.metricsPath) else {
            throw RunError.missing(
                file: dir.metricsPath, what: "missing: this run was recorded without the digit classifier")
        }
        let rows = try MetricsLog.read(path: dir.metricsPath)
        guard !rows.isEmpty else {
            throw RunError.missing(file: dir.metricsPath, what: "holds no snapshot yet; nothing to plot")
        }
        func series(_ name: String, _ key: String, _ color: Int) -> Plot.Series {
            Plot.Series(
                name: name, points: rows.compactMap { r in r.values[key].map { (Double(r.iteration), $0) } },
                color: Plot.palette[color])
        }
        let top = max(1.2, rows.compactMap { $0.values[SnapshotMetrics.sharpnessRatio] }.max() ?? 1)
        var plot = Plot(
            title: "Snapshot metrics (\(title(config)))", xLabel: "iteration",
            yLabel: "label accuracy / sharpness ratio", xRange: 0...Double(max(rows.last!.iteration, 1)),
            yRange: 0...top)
        plot.series = [
            series("label accuracy (manifold grids)", SnapshotMetrics.labelAccuracy, 0),
            series("sharpness / real digits", SnapshotMetrics.sharpnessRatio, 1)
        ]
        return plot.render()
    }

    /// "cvae-gan, published, latent 8": what a plot is of.
    public static func title(_ config: RunConfig) -> String {
        let kind = config.model.kind
        return kind == .cvae
            ? "\(kind.rawValue), latent \(config.model.latentDim)"
            : "\(kind.rawValue), \(config.model.variant.rawValue), latent \(config.model.latentDim)"
    }
}
