import Browser
import Comparison
import Evaluation
import Foundation
import RunFolder
import Sweep
import TestSupport
import XCTest

/// A sweep's comparison from hand-made evaluations: two variants by two seeds, one run not yet
/// evaluated. The table, its CSV and JSON, and the page's markup, with no run trained.
final class SweepComparisonTests: XCTestCase {
    var sweep: String!
    var plan: SweepPlan!

    override func setUpWithError() throws {
        sweep = try tempDir("comparison") + "/a<b&c"
        plan = try SweepPlan(
            axes: [.init(.seed, values: ["0", "1"]), .init(.variant, values: ["figures", "published"])],
            common: [], evaluate: [])
        // variant-published_seed-1 is left without an evaluation.
        for (name, spread, accuracy) in [
            ("variant-figures_seed-0", 0.4, 0.9), ("variant-figures_seed-1", 0.6, 0.7),
            ("variant-published_seed-0", 0.9, 1.0)
        ] {
            let run = RunDirectory(sweep + "/runs/" + name)
            try FileManager.default.createDirectory(atPath: run.path, withIntermediateDirectories: true)
            try Data(Self.evaluation(run: name, spread: spread, accuracy: accuracy).utf8).write(
                to: URL(fileURLWithPath: run.evaluationPath))
        }
    }

    /// evaluation.json as `evaluate` writes it, with the measures every record has.
    static func evaluation(run: String, spread: Double, accuracy: Double) -> String {
        let a = #"{"overall": \#(accuracy), "per_label": [\#(accuracy)]}"#
        return """
            {"run": "\(run)", "model": "cvae-gan", "variant": "figures", "latent_dim": 8, "iteration": 20,
             "dataset": "mnist", "test_digits": 100, "manifold_accuracy": \(a), "random_accuracy": \(a),
             "style_transfer_accuracy": \(a), "style_spread_ratio": \(spread), "reconstruction_bce": 0.2,
             "reconstruction_mse": 0.05, "sharpness_generated": 1, "sharpness_real": 2, "sharpness_ratio": 0.5,
             "frechet_distance": 12, "diversity_generated": [1], "diversity_real": [2], "diversity_ratio": 0.5,
             "samples_per_label": 10}
            """
    }

    func testSettingsAreTheAxesButTheSeedWithTheirSpread() throws {
        let c = SweepComparison(sweep: sweep, plan: plan)
        XCTAssertEqual(c.axes, ["variant"])
        XCTAssertEqual(c.seeds, ["0", "1"])
        XCTAssertEqual(
            c.measures, Measure.allCases.filter { !$0.isColour }.map(\.name), "no colour measures: no colour runs")
        XCTAssertEqual(c.settings.map(\.values), [["variant": "figures"], ["variant": "published"]])
        XCTAssertEqual(c.settings[0].runs, ["variant-figures_seed-0", "variant-figures_seed-1"])
        XCTAssertEqual(c.settings[0].pending, [])
        XCTAssertEqual(c.settings[1].pending, ["variant-published_seed-1"])

        let spread = try XCTUnwrap(c.settings[0].measures["style spread"])
        XCTAssertEqual(spread.mean, 0.5, accuracy: 1e-12)
        XCTAssertEqual(spread.sd, 0.02.squareRoot(), accuracy: 1e-12, "the sample standard deviation")
        XCTAssertEqual(spread.n, 2)
        XCTAssertEqual(c.settings[1].measures["style spread"], SweepComparison.Spread([0.9]))
        XCTAssertEqual(c.settings[1].measures["style spread"]?.sd, 0, "one run")
        XCTAssertEqual(c.settings[0].measures["label accuracy, manifold grids"]?.mean ?? 0, 0.8, accuracy: 1e-12)
        XCTAssertEqual(c.settings[0].measures["ink carry"]?.n, 0, "not in these records")
    }

    /// The CSV quotes the names with commas and leaves unmeasured cells empty; the JSON reads back
    /// into the comparison's own type and writes the same bytes again.
    func testTheCSVAndTheJSON() throws {
        let c = SweepComparison(sweep: sweep, plan: plan)
        let lines = c.csv.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(
            lines[0].hasPrefix(
                #"variant,runs,"label accuracy, manifold grids mean","label accuracy, manifold grids sd","#
                    + #""label accuracy, manifold grids n","#), lines[0])
        XCTAssertTrue(lines[2].hasPrefix("published,2,1.0,0.0,1,"), lines[2])
        let header = lines[0].split(separator: ",").map(String.init)
        let row = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let column = try XCTUnwrap(header.firstIndex(of: "ink carry mean"))
        XCTAssertEqual(row[column...(column + 2)], ["", "", "0"])

        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let back = try decoder.decode(SweepComparison.self, from: c.json)
        XCTAssertEqual(back.axes, c.axes)
        XCTAssertEqual(back.settings.map(\.runs), c.settings.map(\.runs))
        XCTAssertEqual(back.settings[0].measures["style spread"], c.settings[0].measures["style spread"])
        XCTAssertEqual(back.json, c.json)
    }

    /// The page: the table's cells as mean ± sd (n), a dash where nothing was measured, the plots
    /// and each run's pictures by their files' URLs, in the report's style.
    func testThePagesMarkup() {
        let page = ComparePage(sweep: sweep, plan: plan, label: "7", dataDirectory: nil)
        let html = page.html(
            sheets: ["variant-figures_seed-1": (sheet: "s 1.png", manifold: "m#1.png")], plots: ["losses_prior.png"])
        XCTAssertTrue(
            html.hasPrefix(
                "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"))
        XCTAssertTrue(html.hasSuffix("</section></main></body></html>\n"))
        XCTAssertTrue(html.contains("<style>\(PageFiles.reportStyle)</style></head><body><main>\n<h1>"))
        let name = (sweep as NSString).lastPathComponent
        XCTAssertEqual(name, "a<b&c")
        XCTAssertTrue(html.contains("<title>Sweep a&lt;b&amp;c</title>"))
        XCTAssertTrue(html.contains("<h1>Sweep a&lt;b&amp;c</h1>\n<p>4 runs: variant figures, published; seed 0, 1."))
        XCTAssertTrue(html.contains("<thead><tr><th>variant</th><th>runs</th><th>label accuracy, manifold grids</th>"))
        XCTAssertTrue(html.contains("<tr><td>figures</td><td>2</td><td>0.8 ± 0.141 (2)</td>"))
        XCTAssertTrue(html.contains("<tr><td>published</td><td>2 (1 not evaluated)</td><td>1 ± 0 (1)</td>"))
        XCTAssertTrue(html.contains("<td>0.5 ± 0.141 (2)</td>"), "style spread")
        XCTAssertTrue(html.contains("<td>–</td>"))
        XCTAssertTrue(html.contains(#"<figure><img src="losses_prior.png" alt="losses_prior.png"></figure>"#))
        XCTAssertTrue(html.contains(#"<h3>variant figures</h3><div class="gallery" style="--column: 300px">"#))
        XCTAssertTrue(
            html.contains(
                #"<figure><img src="s%201.png" alt="variant-figures_seed-1: style transfer">"#
                    + "<figcaption>variant-figures_seed-1: style transfer</figcaption></figure>"))
        XCTAssertTrue(html.contains(#"<img src="m%231.png" alt="variant-figures_seed-1: last manifold">"#))
        XCTAssertFalse(html.contains("variant-figures_seed-0:"), "a run without pictures shows none")
        XCTAssertTrue(html.contains("<h2>Style transfer and manifold of label 7</h2>"))
    }
}
