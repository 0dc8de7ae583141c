import Datasets
import Foundation
import OwnData
import RunModel
import TestSupport
import XCTest

/// A run on a dark-on-light grey set (png10, Pillow's 40x40 digits, at `--side 32`: pictures, no
/// drawing board), which `--data` inverted into MNIST's light on dark: a picture of the set chosen
/// in the report page and in the studio reaches the model as `--data` made that picture, inverted
/// too (config.json's `fitting`, carried in weights.js and the studio's state), within a grey level.
final class FittingBrowserTests: XCTestCase {
    static let set = OwnDataCommandTests.fixtures + "/png10"
    /// The set's first test picture (its classes sorted, its files sorted): test image 0.
    static let picture = set + "/test/eight/0.png"
    static let level: Float = 1 / 255

    /// The picture as `--data` made it: the set read as train-and-record reads it, its test image 0.
    static func madeByData() throws -> [Float] {
        let own = try OwnDataset.load(path: set, shape: ImageShapeChoice(side: 32))
        XCTAssertEqual(own.fitting, PictureFitting(inverted: true), own.summary)
        XCTAssertEqual(own.data.classes.names.first, "eight")
        return Array(own.dataset.test.image(0))
    }

    static func invertedRun(in dir: String) throws -> String {
        let run = dir + "/run"
        let train = try runCLI(
            [
                "train-and-record", "--data", set, "--side", "32", "--iterations", "10", "--snapshot-every", "5",
                "--batch-size", "8", "--threads", "1", "--run", run, "--quiet"
            ], in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertEqual(try RunConfig.read(from: run).fitting, PictureFitting(inverted: true))
        return run
    }

    func testThePageFitsAPictureAsTheInvertedSetWasFitted() throws {
        try requireTool(Chromium.executable != nil, "chromium is not installed (scripts/setup.sh installs it)")
        let dir = try tempDir("page-fitting")
        let run = try Self.invertedRun(in: dir)
        let report = try runCLI(["report", "--run", run, "--quiet"], in: dir)
        XCTAssertEqual(report.status, 0, report.stderr)
        let weights = try String(contentsOfFile: run + "/report/weights.js", encoding: .utf8)
        XCTAssertTrue(weights.contains(#""fitting":{"inverted":true}"#), "weights.js carries the set's fitting")

        let browser = try Chromium(width: 1280, height: 1400)
        try browser.open(URL(fileURLWithPath: run + "/report/index.html").absoluteString)
        XCTAssertEqual(
            try browser.evaluate("window.vaeganExplore.ready.then(p => JSON.stringify(p.model.fitting))") as? String,
            #"{"inverted":true,"background":null}"#)
        try ColourBrowserTests.choose(Self.picture, in: browser)
        XCTAssertTrue(
            try browser.wait(for: "vaeganExplore.parts?.drawing.last?.picture === true"),
            "the chosen picture is restyled")
        let seen = try PageModelBrowserTests.floats(
            browser.evaluate("Array.from(vaeganExplore.parts.drawing.last.seen)"))
        let made = try Self.madeByData()
        XCTAssertEqual(seen.count, 32 * 32)
        let error = ColourBrowserTests.largest(seen, made)
        print("fitting page: largest difference of the page's fit from what --data made \(error)")
        XCTAssertLessThanOrEqual(error, Self.level, "the page fits the picture as --data fitted the set's")
        XCTAssertEqual(browser.problems, [])
    }

    func testTheStudioFitsAPictureAsTheInvertedSetWasFitted() throws {
        try requireTool(Chromium.executable != nil, "chromium is not installed (scripts/setup.sh installs it)")
        let dir = try tempDir("studio-fitting")
        let run = try Self.invertedRun(in: dir)
        let server = try StudioServer(run: run)
        let browser = try Chromium(width: 1400, height: 1700)
        try browser.open(server.address)
        XCTAssertTrue(
            try browser.wait(for: "window.studio && studio.state && studio.state.config && studio.explorer"),
            "the studio shows the run's model")
        XCTAssertEqual(
            try browser.evaluate("JSON.stringify(studio.state.config.fitting)") as? String, #"{"inverted":true}"#)
        try ColourBrowserTests.choose(Self.picture, in: browser)
        XCTAssertTrue(
            try browser.wait(for: "studio.explorer?.drawing.last?.picture === true"), "the chosen picture is restyled")
        let restyled = try XCTUnwrap(browser.evaluate("studio.lastRestyle") as? [String: Any])
        let seen = try XCTUnwrap(Data(base64Encoded: try XCTUnwrap(restyled["digit"] as? String)))
        let made = try Self.madeByData()
        XCTAssertEqual(seen.count, made.count)
        XCTAssertLessThanOrEqual(
            zip(seen, made).map { abs(Int($0) - Int((255 * $1).rounded())) }.max() ?? 255, 1,
            "the server restyled the picture as --data fitted the set's")
        XCTAssertEqual(browser.problems, [])
    }
}
