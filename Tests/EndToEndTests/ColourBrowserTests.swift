import Datasets
import Foundation
import OwnData
import RunModel
import Tensor
import TestSupport
import VAEGAN
import XCTest

/// A colour run (32x32, three classes: Tests/OwnDataTests/Fixtures/colour/png32) in the report page
/// and in the studio, in headless Chromium: the page's WebAssembly model decodes as the program
/// does, a PNG is fitted as the set's images were (`Letterbox.fit`), a chosen picture is restyled
/// as the program restyles it, and the studio draws the run in colour and refuses a picture of
/// another shape in one line.
final class ColourBrowserTests: XCTestCase {
    static let colourSet = OwnDataCommandTests.fixtures + "/colour/png32"
    /// A 48x40 RGB picture (fitted into 32x32 with bands above and below) and a 32x32 one with
    /// transparency (light ink on nothing: laid on black).
    static let pictures = [
        OwnDataCommandTests.fixtures + "/colour/png48x40/seven/0.png", colourSet + "/one/1-rgba.png"
    ]
    /// A grey level: the page and the program may differ by this much in any channel.
    static let level: Float = 1 / 255

    /// A short colour run, as the issue's example makes one.
    static func colourRun(in dir: String) throws -> String {
        let run = dir + "/run"
        let train = try runCLI(
            [
                "train-and-record", "--data", colourSet, "--iterations", "20", "--snapshot-every", "5",
                "--batch-size", "8", "--threads", "1", "--run", run, "--quiet"
            ], in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        return run
    }

    /// The run's latest model with its weights rounded to half precision, as weights.js stores them.
    static func halvedModel(_ run: String) throws -> Inference {
        let model = try RecordedRun.open(run).latestModel().inference
        let tensors = Dictionary(uniqueKeysWithValues: model.weights.names.map { ($0, model.weights[$0].value) })
        return Inference(
            weights: try ModelWeights(
                tensors: PageModelBrowserTests.halved(tensors), latentDim: model.config.latentDim,
                data: model.config.data),
            config: model.config)
    }

    static func largest(_ a: [Float], _ b: [Float]) -> Float {
        XCTAssertEqual(a.count, b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 1
    }

    /// Chooses the file at `path` in the page's file input `#picture`, as a user does.
    static func choose(_ path: String, in browser: Chromium) throws {
        let document = try browser.call("DOM.getDocument")
        let root = try XCTUnwrap((document["root"] as? [String: Any])?["nodeId"] as? Int)
        let input = try XCTUnwrap(
            browser.call("DOM.querySelector", ["nodeId": root, "selector": "#picture"])["nodeId"] as? Int)
        try browser.call("DOM.setFileInputFiles", ["files": [path], "nodeId": input])
    }

    /// With VAEGAN_PAGE_SCREENSHOT=file.png the page is kept as a screenshot at the end.
    func testTheColourPageDecodesFitsAndRestylesAsTheProgramDoes() throws {
        try requireTool(Chromium.executable != nil, "chromium is not installed (scripts/setup.sh installs it)")
        let dir = try tempDir("page-colour")
        let run = try Self.colourRun(in: dir)
        let report = try runCLI(["report", "--run", run, "--quiet"], in: dir)
        XCTAssertEqual(report.status, 0, report.stderr)
        let weights = try String(contentsOfFile: run + "/report/weights.js", encoding: .utf8)
        XCTAssertTrue(
            weights.contains(#""channels":3"#) && weights.contains(#""side":32"#), "weights.js names the shape")

        let browser = try Chromium(width: 1280, height: 1400)
        try browser.open(URL(fileURLWithPath: run + "/report/index.html").absoluteString)
        XCTAssertEqual(try browser.evaluate("window.vaeganExplore.ready.then(() => true)") as? Bool, true)
        XCTAssertEqual(
            try browser.evaluate(
                "window.vaeganExplore.ready.then(p => [p.model.side, p.model.channels, p.model.classes])")
                as? [Int], [32, 3, 3])
        XCTAssertEqual(
            try browser.evaluate("document.getElementById('explore').classList.contains('pictures-only')") as? Bool,
            true,
            "no drawing board for a colour model")

        // Three codes decoded with the three labels, by the page and by the program.
        let program = try Self.halvedModel(run), latent = program.config.latentDim, data = program.config.data
        let codes = (0..<3 * latent).map { Float(sin(Double($0) * 1.3)) * 1.5 }
        let decoded = try PageModelBrowserTests.floats(
            browser.evaluate(
                "window.vaeganExplore.ready.then(p => Array.from(p.model.decode(new Float32Array(\(codes)), [0, 1, 2])))"
            ))
        let expected = program.decode(
            Tensor(shape: [3, latent], values: codes), labels: Batch.oneHot([0, 1, 2], data: data)
        ).array
        XCTAssertEqual(decoded.count, 3 * 32 * 32 * 3)
        let decodeError = Self.largest(decoded, expected)
        print("colour page: largest difference of a decoded channel from the program's \(decodeError)")
        XCTAssertLessThanOrEqual(decodeError, Self.level)

        // Each picture fitted by the page as Letterbox.fit fits it.
        for path in Self.pictures {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString()
            let fitted = try PageModelBrowserTests.floats(
                browser.evaluate(
                    """
                    (async () => {
                      const file = new File([Uint8Array.from(atob("\(bytes)"), c => c.charCodeAt(0))], "p.png", { type: "image/png" });
                      const p = await VaeganExplorer.readPicture(file);
                      return Array.from(VaeganExplorer.fitPicture(p.rgba, p.width, p.height, 32, 3));
                    })()
                    """))
            let reference = try ImageFile.fitted(path: path, side: 32, channels: 3)
            let fitError = Self.largest(fitted, reference)
            print("colour page: largest difference of the page's fit of \(path) from Letterbox.fit \(fitError)")
            XCTAssertLessThanOrEqual(fitError, Self.level, path)
        }

        // As a user: restyle from the second class, then choose the 48x40 picture.
        _ = try browser.evaluate("document.getElementById('draw-label').value = '1'")
        try Self.choose(Self.pictures[0], in: browser)
        XCTAssertTrue(
            try browser.wait(for: "vaeganExplore.parts?.drawing.last?.picture === true"),
            "the chosen picture is restyled")
        let row = try PageModelBrowserTests.floats(
            browser.evaluate("Array.from(vaeganExplore.parts.drawing.last.digits)"))
        XCTAssertEqual(try browser.evaluate("vaeganExplore.parts.drawing.last.label") as? Int, 1)
        let seen = try ImageFile.fitted(path: Self.pictures[0], side: 32, channels: 3)
        let programRow = program.restyle(Tensor(shape: [1, 32, 32, 3], values: seen), from: 1, to: [0, 1, 2])
            .flatMap(\.array)
        let restyleError = Self.largest(row, programRow)
        print("colour page: largest difference of the restyled row from the program's \(restyleError)")
        XCTAssertLessThanOrEqual(restyleError, Self.level)
        // Drawn in colour as they are: each canvas's pixels are the row's values as bytes.
        let painted = try XCTUnwrap(
            browser.evaluate(
                """
                Array.from(document.querySelectorAll('#draw-digits canvas')).flatMap(c =>
                  Array.from(c.getContext('2d').getImageData(0, 0, 32, 32).data).filter((_, i) => i % 4 !== 3))
                """) as? [Int])
        let bytes = programRow.map { Int((255 * min(1, max(0, $0))).rounded()) }
        XCTAssertEqual(painted.count, bytes.count)
        XCTAssertLessThanOrEqual(zip(painted, bytes).map { abs($0 - $1) }.max() ?? 255, 1, "drawn in colour")
        if let path = ProcessInfo.processInfo.environment["VAEGAN_PAGE_SCREENSHOT"] {
            _ = try browser.evaluate("document.getElementById('explore').scrollIntoView()")
            try browser.screenshot().write(to: URL(fileURLWithPath: path))
        }
        XCTAssertEqual(browser.problems, [])
    }

    /// With VAEGAN_STUDIO_SCREENSHOT=file.png the page is kept as a screenshot at the end.
    func testTheStudioDrawsAColourRunAndRefusesAPictureOfAnotherShape() throws {
        try requireTool(Chromium.executable != nil, "chromium is not installed (scripts/setup.sh installs it)")
        let dir = try tempDir("studio-colour")
        let run = try Self.colourRun(in: dir)
        let server = try StudioServer(run: run)
        let browser = try Chromium(width: 1400, height: 1700)
        try browser.open(server.address)
        XCTAssertTrue(
            try browser.wait(
                for:
                    "window.studio && studio.state && studio.state.snapshot && studio.snapshotIteration === studio.state.snapshot.iteration && studio.lastDecode"
            ),
            "the page shows the run's last snapshot and decodes the pad's code")
        // The snapshot's grids and the explorer's images, in colour at 32x32.
        let grid = try XCTUnwrap(
            browser.evaluate(
                """
                (() => { const c = document.getElementById('grid-0'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let coloured = 0; for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) coloured++;
                  return [c.width, coloured]; })()
                """) as? [Int])
        XCTAssertEqual(grid[0], 15 * 32)
        XCTAssertGreaterThan(grid[1], 100, "the grid is drawn in colour")
        let decoded = try XCTUnwrap(browser.evaluate("studio.lastDecode.digits") as? [String])
        XCTAssertEqual(decoded.map { Data(base64Encoded: $0)?.count }, [3072, 3072, 3072])

        // A chosen picture is fitted in the page and restyled by the server.
        try Self.choose(Self.pictures[0], in: browser)
        XCTAssertTrue(
            try browser.wait(for: "studio.explorer?.drawing.last?.picture === true"), "the chosen picture is restyled")
        let restyled = try XCTUnwrap(browser.evaluate("studio.lastRestyle") as? [String: Any])
        let seen = try XCTUnwrap(Data(base64Encoded: try XCTUnwrap(restyled["digit"] as? String)))
        let reference = try ImageFile.fitted(path: Self.pictures[0], side: 32, channels: 3)
        XCTAssertEqual(seen.count, reference.count)
        XCTAssertLessThanOrEqual(
            zip(seen, reference).map { abs(Int($0) - Int((255 * $1).rounded())) }.max() ?? 255, 1,
            "the server restyled the picture fitted as Letterbox.fit fits it")
        let model = try RecordedRun.open(run).latestModel().inference
        let programRow = model.restyle(
            Tensor(shape: [1, 32, 32, 3], values: seen.map { Float($0) / 255 }), from: restyled["label"] as? Int ?? -1,
            to: [0, 1, 2]
        ).flatMap { $0.array.map { Int((255 * min(1, max(0, $0))).rounded()) } }
        let served = try XCTUnwrap(restyled["digits"] as? [String]).flatMap { Array(Data(base64Encoded: $0) ?? Data()) }
        XCTAssertEqual(served.map(Int.init), programRow, "the server's row is the program's")
        XCTAssertEqual(browser.problems, [])
        if let path = ProcessInfo.processInfo.environment["VAEGAN_STUDIO_SCREENSHOT"] {
            try browser.screenshot(width: 1400).write(to: URL(fileURLWithPath: path))
        }

        // A picture of MNIST's shape, or of no shape at all: 400 and one line.
        let grey = try server.json(
            "POST", "/api/restyle-image",
            ["side": 28, "channels": 1, "image": Data(count: 784).base64EncodedString(), "label": 0])
        XCTAssertEqual(grey.status, 400)
        XCTAssertEqual(grey.error, "the image is 28x28 grey; this run's model takes 32x32 colour images")
        let odd = try server.json(
            "POST", "/api/restyle-image",
            ["side": 30, "channels": 3, "image": Data(count: 2700).base64EncodedString(), "label": 0])
        XCTAssertEqual(odd.status, 400)
        XCTAssertFalse(odd.error.contains("\n"))
        XCTAssertTrue(odd.error.hasPrefix("'side' must be"), odd.error)
        // The board's request names the one a colour model takes.
        let drawing = try server.json(
            "POST", "/api/restyle",
            ["width": 28, "height": 28, "ink": Data(repeating: 255, count: 784).base64EncodedString(), "label": 0])
        XCTAssertEqual(drawing.status, 400)
        XCTAssertTrue(drawing.error.contains("/api/restyle-image"), drawing.error)
    }
}
