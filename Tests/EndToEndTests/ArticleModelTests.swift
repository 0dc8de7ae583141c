import Datasets
import Evaluation
import Foundation
import RunModel
import Studio
import TestSupport
import XCTest

/// Without a run: serve, export style-transfer and evaluate use the shipped article model.
final class ArticleModelTests: XCTestCase {
    func testWithoutARunTheArticleModelDraws() throws {
        try requireMNIST()
        let dir = try tempDir("article")
        let iteration = try XCTUnwrap(shippedWeightsIteration)
        let server = try StudioServer(run: nil, directory: dir)
        let state = try server.request("GET", "/api/state").decoded(Answer.State.self)
        XCTAssertEqual(state.articleModel?.iteration, iteration)
        let decoded = try server.json("POST", "/api/decode", ["z": Array(repeating: 0, count: 8)])
        XCTAssertEqual(decoded.status, 200, decoded.error)
        XCTAssertEqual(try decoded.decoded(Answer.Decoded.self).iteration, iteration, "the article model draws")

        let export = try runCLI(["export", "style-transfer", "--label", "3"], in: dir)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stderr.contains("drawing with the article model"), export.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/style_transfer_3.png"))
        let evaluate = try runCLI(["evaluate", "--json", "--samples", "2", "--test-digits", "100", "--quiet"], in: dir)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        let record = try EvaluationRecord.decoder().decode(EvaluationRecord.self, from: Data(evaluate.stdout.utf8))
        XCTAssertEqual(record.iteration, iteration)
        XCTAssertEqual(record.variant, .figures)
        let variation = try XCTUnwrap(record.report.manifoldVariation)
        XCTAssertTrue(
            [variation.tileSpread, variation.inkRange, variation.widthRange, variation.slantRange].allSatisfy {
                $0 > 0 && $0.isFinite
            }, "a trained manifold varies: \(variation)")
        XCTAssertEqual(record.report.manifoldVariationPerLabel?.count, 10)
        XCTAssertNotNil(record.report.manifoldVariationOwnAxes)

        // The manifold over the label's own axes (chosen on the label's test digits; evaluate's
        // --test-digits 100 above holds too few 7s to choose the same), and over any two.
        XCTAssertEqual(record.report.manifoldAxes?.map(\.count), Array(repeating: 2, count: 10))
        let auto = try runCLI(["export", "manifold", "--label", "7", "--axes", "auto", "--quiet"], in: dir)
        XCTAssertEqual(auto.status, 0, auto.stderr)
        let name = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasPrefix("manifold_7_z") })
        let axes = name.dropFirst("manifold_7_".count).dropLast(".png".count).split(separator: "_")
            .map { Int($0.dropFirst()) }
        XCTAssertEqual(axes.count, 2, name)
        let (column, row) = (try XCTUnwrap(axes.first ?? nil), try XCTUnwrap(axes.last ?? nil))
        XCTAssertNotEqual(column, row, name)
        let chosen = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        let given = try runCLI(
            ["export", "manifold", "--label", "7", "--axes", "\(column),\(row)", "--quiet", "--out", "given.png"],
            in: dir)
        XCTAssertEqual(given.status, 0, given.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/given.png")), chosen)
        for (flags, problem) in [
            (["--axes", "0,8"], "the latent space has dimensions 0-7"), (["--axes", "2,2"], "two different dimensions"),
            (["--axes", "auto", "--period", "1"], "holds no run")
        ] {
            let r = try runCLI(["export", "manifold", "--label", "7", "--quiet"] + flags, in: dir)
            XCTAssertEqual(r.status, 1, "\(flags)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(problem) && r.stderr.contains("--axes"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/vaegan-run"), "nothing is written as a run")

        // With --run naming a folder that holds no run, nothing stands in.
        let named = try runCLI(["export", "style-transfer", "--run", dir + "/none"], in: dir)
        XCTAssertEqual(named.status, 1)
    }

    /// `export style-transfer --inputs`: the article's ten 7s by name, any test digits by index;
    /// an index out of range, of another label, or not a number is refused in one line.
    func testStyleTransferTakesItsInputsByTestIndex() throws {
        try requireMNIST()
        let dir = try tempDir("inputs")
        func export(_ extra: [String], _ out: String) throws -> Data {
            let r = try runCLI(["export", "style-transfer", "--quiet", "--out", out] + extra, in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
            return try Data(contentsOf: URL(fileURLWithPath: dir + "/" + out))
        }
        let test = try Dataset.load(directory: mnistDirectory).test
        let firstTen = test.indices(ofLabel: 7).prefix(10).map(String.init).joined(separator: ",")
        let byDefault = try export([], "default.png")
        XCTAssertEqual(
            try export(["--inputs", firstTen], "first-ten.png"), byDefault, "the default is the first ten 7s")
        let article = try export(["--inputs", "article"], "article.png")
        let named = ArticleModel.styleTransferInputs.testIndices.map(String.init).joined(separator: ",")
        XCTAssertEqual(try export(["--inputs", named], "named.png"), article, "'article' names its ten indices")
        XCTAssertNotEqual(article, byDefault)
        XCTAssertEqual(
            ArticleModel.styleTransferInputs.testIndices.map { Int(test.labels[$0]) }, Array(repeating: 7, count: 10))

        let other = try XCTUnwrap(test.labels.indices.first { test.labels[$0] == 2 })
        for (inputs, label, problem) in [
            ("\(test.count)", "7", "is out of range (the test set has \(test.count) digits"),
            ("\(other)", "7", "test digit \(other) is a 2, not a 7 (--label 7)"),
            ("article", "4", "is a 7, not a 4"),
            ("3,,4", "7", "must be 'article' or test indices separated by commas"),
            ("article", "all", "needs one --label")
        ] {
            let r = try runCLI(["export", "style-transfer", "--quiet", "--inputs", inputs, "--label", label], in: dir)
            XCTAssertEqual(r.status, 1, inputs)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(problem) && r.stderr.contains("--inputs"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/style_transfer_7.png"), "no sheet for bad inputs")
    }
}
