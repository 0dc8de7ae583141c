import AtomicIO
import Browser
import Canvas
import Datasets
import Evaluation
import Foundation
import Report
import RunFolder
import RunModel
import Sweep

/// The page of `vaegan-render compare`: the comparison's table, the loss and metric curves of
/// every run overlaid (one colour per setting), and each run's style-transfer sheet and last
/// manifold of one label, a row per setting. Self-contained like a run's report.
public struct ComparePage {
    public let sweep: String
    public let plan: SweepPlan
    public let comparison: SweepComparison
    /// The label whose sheets and manifolds are shown: a number, or a class's name (each run
    /// reads it by its own classes).
    public let label: String
    /// Where the test digits are, when not where each run's config.json says.
    public let dataDirectory: String?

    public init(sweep: String, plan: SweepPlan, label: String, dataDirectory: String?) {
        self.sweep = sweep; self.plan = plan; self.label = label; self.dataDirectory = dataDirectory
        comparison = SweepComparison(sweep: sweep, plan: plan)
    }

    public static let fileName = "index.html"

    /// Write index.html, compare.json, compare.csv and the pictures into `folder`; `log` hears
    /// each picture. Runs without a checkpoint or recording yet show no pictures.
    public func write(to folder: String, log: (String) -> Void) throws {
        try ReportBuilder.prepare(folder: folder)
        func path(_ file: String) -> String { (folder as NSString).appendingPathComponent(file) }
        try AtomicFile.write(comparison.json, to: path("compare.json"))
        try AtomicFile.write(Data(comparison.csv.utf8), to: path("compare.csv"))

        var tests: [String: DigitSet] = [:]
        var sheets: [String: (sheet: String?, manifold: String?)] = [:]
        for point in plan.points {
            let run = SweepPlan.runPath(point, in: sweep)
            let recorded: RecordedRun
            do { recorded = try RecordedRun.open(run) } catch {
                log("\(point.name): no pictures (\(error))")
                continue
            }
            guard let last = recorded.snapshots.last else { continue }
            let data = recorded.config.data
            guard let label = data.classes.label(of: self.label) else {
                log("\(point.name): no pictures (label '\(self.label)' is not one of its classes)")
                continue
            }
            let manifold = "\(point.name)-manifold_\(data.classes.fileNames[label]).png"
            try ManifoldFrame(size: 400).render(
                grid: last.grids[label], gridSize: last.gridSize, label: label, data: data, batch: last.batchNumber
            ).writePNG(to: path(manifold))
            log(manifold)
            var sheet: String?
            if FileManager.default.fileExists(atPath: recorded.directory.checkpointPath) {
                let model = try recorded.latestModel()
                // Each run's own test set (runs of one's own data hold out by their seeds).
                let directory = dataDirectory ?? recorded.config.dataDirectory
                if tests[directory] == nil { tests[directory] = try Dataset.load(directory: directory).test }
                sheet = "\(point.name)-style_transfer_\(data.classes.fileNames[label]).png"
                try Pictures.styleTransfer(model.inference, test: tests[directory]!, source: label)
                    .writePNG(to: path(sheet!))
                log(sheet!)
            }
            sheets[point.name] = (sheet, manifold)
        }
        let plots = try curves()
        for (file, surface) in plots {
            try surface.writePNG(to: path(file))
            log(file)
        }
        try AtomicFile.write(Data(html(sheets: sheets, plots: plots.map(\.file)).utf8), to: path(Self.fileName))
    }

    /// "variant figures, preset default": a setting as words.
    func name(_ values: [String: String]) -> String {
        comparison.axes.isEmpty
            ? "all runs" : comparison.axes.map { "\($0) \(values[$0] ?? "?")" }.joined(separator: ", ")
    }

    /// The three losses and two snapshot metrics, each one plot with a line per run.
    func curves() throws -> [(file: String, surface: Surface)] {
        typealias Curve = (title: String, file: String, log: Bool, points: (RunDirectory) -> [(Double, Double)])
        let losses = { (dir: RunDirectory) in (try? LossLog.read(path: dir.lossesPath)) ?? [] }
        let metrics = { (dir: RunDirectory) in (try? MetricsLog.read(path: dir.metricsPath)) ?? [] }
        let curves: [Curve] = [
            ("L_prior", "losses_prior.png", true, { losses($0).map { (Double($0.iteration), $0.prior) } }),
            (
                "L_dis_llike", "losses_dis_llike.png", true,
                { losses($0).map { (Double($0.iteration), $0.reconstruction) } }
            ),
            (
                "L_GAN", "losses_gan.png", true,
                { losses($0).compactMap { r in r.gan.map { (Double(r.iteration), $0) } } }
            ),
            (
                "label accuracy of the manifold grids", "metrics_label_accuracy.png", false,
                {
                    metrics($0).compactMap { r in
                        r.values[SnapshotMetrics.labelAccuracy].map { (Double(r.iteration), $0) }
                    }
                }
            ),
            (
                "sharpness / real digits", "metrics_sharpness.png", false,
                {
                    metrics($0).compactMap { r in
                        r.values[SnapshotMetrics.sharpnessRatio].map { (Double(r.iteration), $0) }
                    }
                }
            )
        ]
        return curves.compactMap { curve in
            var series: [Plot.Series] = []
            for (s, setting) in comparison.settings.enumerated() {
                for point in plan.points where setting.runs.contains(point.name) {
                    let points = curve.points(RunDirectory(SweepPlan.runPath(point, in: sweep)))
                        .filter { $0.1.isFinite && (!curve.log || $0.1 > 0) }
                    guard points.count >= 2 else { continue }
                    let seed = point.values[.seed].map { " seed \($0)" } ?? ""
                    series.append(
                        Plot.Series(
                            name: name(setting.values) + seed, points: points,
                            color: Plot.palette[s % Plot.palette.count]))
                }
            }
            let xs = series.flatMap { $0.points.map(\.0) }, ys = series.flatMap { $0.points.map(\.1) }
            guard let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else { return nil }
            let yRange =
                curve.log
                ? pow(10, floor(log10(yMin)))...pow(10, ceil(log10(yMax)))
                : min(0, yMin)...max(yMax * 1.05, 1e-6)
            var plot = Plot(
                title: curve.title + ", every run", xLabel: "iteration", yLabel: curve.title,
                xRange: 0...max(xMax, 1), yRange: yRange)
            plot.logY = curve.log
            plot.series = series
            return (curve.file, plot.render())
        }
    }

    package func html(sheets: [String: (sheet: String?, manifold: String?)], plots: [String]) -> String {
        let e = escapeHTML
        let c = comparison
        var h = """
            <p>\(plan.points.count) runs: \(e(plan.axes.map { "\($0.setting.flag) \($0.values.joined(separator: ", "))" }.joined(separator: "; "))). \
            Each cell is the mean ± standard deviation over the setting's evaluated runs (n), \
            from each run's <code>evaluation.json</code>; the same numbers are in \
            <a href="compare.csv">compare.csv</a> and <a href="compare.json">compare.json</a>.</p>
            <section><h2>Measures</h2><div class="table"><table id="comparison"><thead><tr>
            """
        for axis in c.axes { h += "<th>\(e(axis))</th>" }
        h += "<th>runs</th>"
        for m in c.measures { h += "<th>\(e(m))</th>" }
        h += "</tr></thead><tbody>"
        for s in c.settings {
            h += "<tr>"
            for axis in c.axes { h += "<td>\(e(s.values[axis] ?? ""))</td>" }
            h += "<td>\(s.runs.count)\(s.pending.isEmpty ? "" : " (\(s.pending.count) not evaluated)")</td>"
            for m in c.measures {
                let v = s.measures[m]!
                h += v.n == 0 ? "<td>–</td>" : "<td>\(Self.format(v.mean)) ± \(Self.format(v.sd)) (\(v.n))</td>"
            }
            h += "</tr>"
        }
        h += "</tbody></table></div></section>"
        h +=
            "<section><h2>Training curves</h2><p>Every run, one colour per setting.</p><div class=\"gallery\" style=\"--column: 440px\">"
        for plot in plots {
            h += "<figure><img src=\"\(e(fileURL(plot)))\" alt=\"\(e(plot))\"></figure>"
        }
        h += "</div></section>"
        h += "<section><h2>Style transfer and manifold of label \(e(label))</h2>"
        h +=
            "<p>For each setting, each run's style-transfer sheet from the first ten test images of label \(e(label)) "
            + "and its last manifold.</p>"
        for s in c.settings {
            h += "<h3>\(e(name(s.values)))</h3><div class=\"gallery\" style=\"--column: 300px\">"
            for run in s.runs {
                guard let pictures = sheets[run] else { continue }
                for (file, what) in [(pictures.sheet, "style transfer"), (pictures.manifold, "last manifold")] {
                    guard let file else { continue }
                    h += "<figure><img src=\"\(e(fileURL(file)))\" alt=\"\(e(run)): \(what)\">"
                    h += "<figcaption>\(e(run)): \(what)</figcaption></figure>"
                }
            }
            h += "</div>"
        }
        h += "</section>"
        let title = e("Sweep " + (sweep as NSString).lastPathComponent)
        return PageFiles.compare.filled(["title": title, "style": PageFiles.reportStyle, "sections": h])
    }

    /// Three significant digits, the way a table reads.
    static func format(_ v: Double) -> String { String(format: abs(v) >= 100 ? "%.0f" : "%.3g", v) }
}
