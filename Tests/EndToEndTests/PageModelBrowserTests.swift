import Datasets
import Evaluation
import Foundation
import RunModel
import Tensor
import TestSupport
import VAEGAN
import XCTest

/// The page that runs the model itself (`report --article`, and every run's report), opened from
/// disk in headless Chromium: its decodes, encodes, classifications and digit preparation against
/// the program's own, drawing a digit with the mouse, and what it does with broken files, another
/// folder, no JavaScript and no WebAssembly.
final class PageModelBrowserTests: XCTestCase {
    /// The page's numbers against the program's with the same half-precision weights: both sum
    /// float32 products, in different orders. A float32 sum of K terms is off by at most about
    /// K * 2^-24 of the sum of their magnitudes; the widest sums here have K = 6,272 (the decoder's
    /// dense layer) and the logits' magnitudes stay below about 30, so a logit may move ~1e-2 in
    /// the worst case and a pixel (sigmoid, slope at most 1/4) ~3e-3. Rounding errors do not all
    /// line up, and the measured differences are ~1e-6; 1e-3 is a quarter of one grey level.
    static let sameWeightsBound: Float = 1e-3

    static func page(_ dir: String) throws -> String {
        let made = try runCLI(["report", "--article", "--out", dir + "/page", "--quiet"], in: dir)
        XCTAssertEqual(made.status, 0, made.stderr)
        return dir + "/page"
    }

    /// The weights as the page stores them: every value rounded to half precision.
    static func halved(_ tensors: [String: Tensor]) -> [String: Tensor] {
        tensors.mapValues { t in Tensor(shape: t.shape, values: t.array.map { Float(Float16($0)) }) }
    }

    static func floats(_ any: Any?) throws -> [Float] { try XCTUnwrap(any as? [Double]).map(Float.init) }

    func testThePageComputesWhatTheProgramDoes() throws {
        try requireMNIST()
        let dir = try tempDir("page-model")
        let page = try Self.page(dir)
        let browser = try Chromium(width: 1280, height: 1000)
        try browser.open(URL(fileURLWithPath: page + "/index.html").absoluteString)
        XCTAssertEqual(try browser.evaluate("window.vaeganExplore.ready.then(() => true)") as? Bool, true)

        let article = try ArticleModel.open()
        let exact = article.model.inference
        let halved = Inference(
            weights: try ModelWeights(
                tensors: Self.halved(exact.weights.tensors), latentDim: exact.config.latentDim, data: .digits),
            config: exact.config)
        let latent = exact.config.latentDim

        // Ten codes (a fixed spread over ±2), one per label.
        let codes = (0..<10 * latent).map { Float(sin(Double($0) * 1.7)) * 2 }
        let labels = Array(0..<10)
        let decoded = try Self.floats(
            browser.evaluate(
                "window.vaeganExplore.ready.then(p => Array.from(p.model.decode(new Float32Array(\(codes)), \(labels))))"
            ))
        let z = Tensor(shape: [10, latent], values: codes), y = Batch.oneHot(labels, data: .digits)
        let program = halved.decode(z, labels: y).array, programExact = exact.decode(z, labels: y).array
        XCTAssertEqual(decoded.count, 10 * 784)
        let sameWeights = zip(decoded, program).map { abs($0 - $1) }.max()!
        let storage = zip(program, programExact).map { abs($0 - $1) }.max()!
        print(
            "page model: largest pixel difference \(sameWeights) against the program with the same half-precision weights, \(storage) from half-precision storage (of 1)"
        )
        XCTAssertLessThanOrEqual(sameWeights, Self.sameWeightsBound)
        // Half precision keeps 11 bits of each weight; measured on the shipped model the pictures
        // move by well under two grey levels. A bound of 4/255 fails if the storage went wrong.
        XCTAssertLessThan(storage, 4 / 255)

        // A real test 7: encoded, classified and prepared as the program does.
        let test = try Dataset.load(directory: mnistDirectory).test
        let seven = Array(test.image(ArticleModel.styleTransferInputs.testIndices[0]))
        let pageZ = try Self.floats(
            browser.evaluate(
                "window.vaeganExplore.ready.then(p => Array.from(p.model.encode(new Float32Array(\(seven)), 7)))"))
        let x = Tensor(shape: [1, 28, 28, 1], values: seven)
        let programZ = halved.encodeMean(x, labels: Batch.oneHot([7], data: .digits)).array
        XCTAssertEqual(pageZ.count, latent)
        XCTAssertLessThanOrEqual(zip(pageZ, programZ).map { abs($0 - $1) }.max()!, Self.sameWeightsBound)

        let classifier = try Classifier.load(path: Classifier.shippedPath)
        let halvedClassifier = try Classifier(
            tensors: Self.halved(classifier.byName.mapValues(\.value)), path: Classifier.shippedPath)
        let pageP = try Self.floats(
            browser.evaluate("window.vaeganExplore.ready.then(p => p.model.classify(new Float32Array(\(seven))))"))
        let programP = halvedClassifier.probabilities(x)[0]
        XCTAssertLessThanOrEqual(zip(pageP, programP).map { abs($0 - $1) }.max()!, Self.sameWeightsBound)
        XCTAssertEqual(pageP.firstIndex(of: pageP.max()!), 7)

        // A drawing 140 pixels wide: the test 7 scaled up 5x, made into a digit on both sides.
        let ink: [Float] = (0..<140 * 140).map { (i: Int) -> Float in
            let row = i / 140 / 5, column = i % 140 / 5
            return seven[row * 28 + column]
        }
        let pagePrepared = try Self.floats(
            browser.evaluate("Array.from(VaeganModel.prepare(new Float32Array(\(ink)), 140, 140))"))
        let programPrepared = try DigitPreparation.prepare(ink: ink, width: 140, height: 140)
        XCTAssertLessThanOrEqual(zip(pagePrepared, programPrepared).map { abs($0 - $1) }.max()!, 1e-5)

        // As a user: draw a 7 with the mouse; the page reads it and redraws it as every label.
        let strokes = try browser.drawSeven(on: "draw")
        XCTAssertGreaterThan(strokes, 5)
        XCTAssertTrue(
            try browser.wait(
                for: "(vaeganExplore.parts?.drawing.last?.strokes ?? -1) === \(strokes)"),
            "the whole drawing is restyled")
        let guess = try XCTUnwrap(browser.evaluate("document.getElementById('draw-guess').textContent") as? String)
        XCTAssertTrue(guess.hasPrefix("Read as 7"), guess)
        let inked = try XCTUnwrap(
            browser.evaluate(
                """
                Array.from(document.querySelectorAll('#draw-digits canvas')).map(c => {
                  const d = c.getContext('2d').getImageData(0, 0, 28, 28).data; let ink = 0;
                  for (let i = 0; i < d.length; i += 4) ink += d[i] < 128 ? 1 : 0; return ink; })
                """) as? [Int])
        XCTAssertEqual(inked.count, 10)
        XCTAssertTrue(inked.allSatisfy { $0 > 20 }, "every restyled digit has ink: \(inked)")
        // A picture of a 7 chosen as a file (a grey 32x32 PNG, light ink on black): on this grey
        // 28x28 model it is laid on the board as ink and read as a drawing.
        try ColourBrowserTests.choose(ColourBrowserTests.colourSet + "/seven/4-grey.png", in: browser)
        XCTAssertTrue(
            try browser.wait(for: "(vaeganExplore.parts?.drawing.last?.strokes ?? -1) === \(strokes + 1)"),
            "the chosen picture is restyled as a drawing")
        let read = try XCTUnwrap(browser.evaluate("document.getElementById('draw-guess').textContent") as? String)
        XCTAssertTrue(read.hasPrefix("Read as 7"), read)
        XCTAssertEqual(
            try browser.evaluate("document.getElementById('explore').classList.contains('pictures-only')") as? Bool,
            false, "the board stays for a grey 28x28 model")
        XCTAssertEqual(
            try browser.evaluate("window.vaeganExplore.ready.then(p => p.manifold.draw())") as? Bool, true,
            "the manifold is drawn to its last row")
        // The manifold over the grid the program draws (Inference.gridCoordinates, which explore.js
        // writes again as GRID_VALUES), on the explorer's axes, its other dimensions at 0.
        let axes = try XCTUnwrap(
            browser.evaluate(
                "window.vaeganExplore.ready.then(p => [Number(p.explore.axisX.value), Number(p.explore.axisY.value), p.explore.z.every(v => v === 0)])"
            ) as? [Any])
        XCTAssertEqual(axes[2] as? Bool, true, "the explorer's code is still at 0")
        let (column, row) = (try XCTUnwrap(axes[0] as? Int), try XCTUnwrap(axes[1] as? Int))
        let label = try XCTUnwrap(
            Int(try XCTUnwrap(browser.evaluate("document.getElementById('manifold-label').value") as? String)))
        let painted = try XCTUnwrap(
            browser.evaluate(
                "Array.from(document.getElementById('manifold').getContext('2d').getImageData(0, 0, 420, 420).data.filter((_, i) => i % 4 === 0))"
            ) as? [Int])
        // The page shows ink through 'Greys' (GreyMap's table): its greys read back as ink, a
        // grey level of ink each, plus half a level for the table's rounding.
        let expected = halved.manifold(label: label, axes: (column, row)).array.map { 255 * Double(min(1, max(0, $0))) }
        let paintedInk = painted.map { 255 * GreyMap.greys.ink(luminance: Double($0) / 255) }
        XCTAssertEqual(paintedInk.count, expected.count)
        XCTAssertLessThanOrEqual(
            zip(paintedInk, expected).map { abs($0 - $1) }.max() ?? 255, 1.5,
            "the page's manifold of \(label) over z[\(column)], z[\(row)] is the program's, to a grey level")

        // How long the page takes, printed for BENCHMARKS (never a test's condition).
        let timing = try XCTUnwrap(
            browser.evaluate(
                """
                window.vaeganExplore.ready.then(async p => {
                  const z = new Float32Array(10 * p.model.latentDim), labels = [0,1,2,3,4,5,6,7,8,9], times = [];
                  for (let i = 0; i < 7; i++) { const t = performance.now(); p.model.decode(z, labels); times.push(performance.now() - t); }
                  const restyle = [];
                  for (let i = 0; i < 7; i++) { const t = performance.now(); await p.drawing.restyle(); restyle.push(performance.now() - t); }
                  const median = a => a.sort((x, y) => x - y)[3];
                  return { decode10: median(times), restyle: median(restyle), ready: window.vaeganExplore.readyAt };
                })
                """) as? [String: Any])
        print("page model timing (ms, median of 7): \(timing)")
        XCTAssertEqual(browser.problems, [])
    }

    /// A run of three named classes (Quick, Draw!'s layout): the page's model takes three labels,
    /// decodes as the program does, and its explorer names the classes.
    func testThePageRunsAModelOfThreeNamedClasses() throws {
        try requireTool(Chromium.executable != nil, "chromium is not installed (scripts/setup.sh installs it)")
        let dir = try tempDir("page-npy3")
        let run = dir + "/run"
        try OwnDataCommandTests.trainThreeClasses(run: run, in: dir)
        let report = try runCLI(["report", "--run", run, "--quiet"], in: dir)
        XCTAssertEqual(report.status, 0, report.stderr)
        let browser = try Chromium(width: 1280, height: 1000)
        try browser.open(URL(fileURLWithPath: run + "/report/index.html").absoluteString)
        XCTAssertEqual(try browser.evaluate("window.vaeganExplore.ready.then(() => true)") as? Bool, true)
        XCTAssertEqual(try browser.evaluate("window.vaeganExplore.ready.then(p => p.model.classes)") as? Int, 3)
        XCTAssertEqual(
            try browser.evaluate(
                "Array.from(document.querySelectorAll('#explore-digits figcaption')).map(f => f.textContent)")
                as? [String], ["one", "seven", "zero"])
        XCTAssertEqual(
            try browser.evaluate("Array.from(document.getElementById('manifold-label').options).map(o => o.text)")
                as? [String], ["one", "seven", "zero"])
        // Label 2 ("zero") decoded by the page and by the program, from the same half-precision weights.
        let model = try RecordedRun.open(run).latestModel()
        let weights = try ModelWeights(
            tensors: Self.halved(
                Dictionary(
                    uniqueKeysWithValues: model.inference.weights.names.map {
                        ($0, model.inference.weights[$0].value)
                    })), latentDim: 8, data: model.inference.config.data)
        let exact = Inference(weights: weights, config: model.inference.config)
        let z = (0..<8).map { Float($0) / 8 - 0.4 }
        let page = try Self.floats(
            browser.evaluate(
                "window.vaeganExplore.ready.then(p => Array.from(p.model.decode(new Float32Array(\(z)), [2])))"))
        let program = exact.decode(
            Tensor(shape: [1, 8], values: z), labels: Batch.oneHot([2], data: DataDescription(numbered: 3))
        ).array
        XCTAssertEqual(page.count, program.count)
        XCTAssertLessThanOrEqual(zip(page, program).map { abs($0 - $1) }.max() ?? 1, Self.sameWeightsBound)
        XCTAssertEqual(browser.problems, [])
    }

    func testBrokenFilesAnotherFolderNoScriptAndNoWebAssemblyEachSaySo() throws {
        try requireMNIST()
        let dir = try tempDir("page-model-broken")
        let page = try Self.page(dir)
        let weights = try String(contentsOfFile: page + "/weights.js", encoding: .utf8)
        let data = try XCTUnwrap(weights.range(of: #""data":""#))

        /// The explorer's status line; `beforeLoad` runs in the page before its own scripts.
        func status(_ folder: String, beforeLoad: String? = nil, scriptsOff: Bool = false) throws -> (String, Chromium)
        {
            let browser = try Chromium()
            if scriptsOff { try browser.call("Emulation.setScriptExecutionDisabled", ["value": true]) }
            if let beforeLoad { try browser.call("Page.addScriptToEvaluateOnNewDocument", ["source": beforeLoad]) }
            try browser.open(URL(fileURLWithPath: folder + "/index.html").absoluteString)
            if !scriptsOff {
                _ = try browser.wait(for: "document.getElementById('explore').className !== ''")
            }
            let text = try XCTUnwrap(
                browser.evaluate("document.querySelector('#explore .explore-status').textContent") as? String)
            return (text, browser)
        }

        // One byte of the weights changed: the checksum says so.
        var tampered = weights
        let at = weights.index(data.upperBound, offsetBy: 1000)
        tampered.replaceSubrange(at...at, with: weights[at] == "A" ? "B" : "A")
        try tampered.write(toFile: page + "/weights.js", atomically: true, encoding: .utf8)
        XCTAssertTrue(try status(page).0.contains("are damaged"))
        // Cut short (and still a script): its length says so.
        var cut = weights
        cut.removeSubrange(
            weights.index(data.upperBound, offsetBy: 1000)..<weights.index(data.upperBound, offsetBy: 1400))
        try cut.write(toFile: page + "/weights.js", atomically: true, encoding: .utf8)
        XCTAssertTrue(try status(page).0.contains("are truncated"))
        // A shape no model has, or one the tensors do not have: one sentence each.
        let shaped = { (fields: String) in
            weights.replacingOccurrences(of: #""iteration":"#, with: fields + #","iteration":"#)
        }
        try shaped(#""side":30"#).write(toFile: page + "/weights.js", atomically: true, encoding: .utf8)
        XCTAssertTrue(try status(page).0.contains("name no valid image side"))
        try shaped(#""side":32,"channels":3"#).write(toFile: page + "/weights.js", atomically: true, encoding: .utf8)
        XCTAssertTrue(try status(page).0.contains("the wrong shape"))
        // A set's fitting the page cannot follow: one sentence.
        for fitting in [#"{"inverted":"yes"}"#, #"{"inverted":true,"background":"grey"}"#, "[]", "null"] {
            try shaped(#""fitting":"# + fitting).write(toFile: page + "/weights.js", atomically: true, encoding: .utf8)
            XCTAssertTrue(try status(page).0.contains("say wrongly how pictures are fitted"), fitting)
        }
        try weights.write(toFile: page + "/weights.js", atomically: true, encoding: .utf8)

        // The page alone in another folder: the films are missing, and the explorer says why.
        let elsewhere = dir + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: page + "/index.html", toPath: elsewhere + "/index.html")
        XCTAssertTrue(try status(elsewhere).0.contains("did not load beside this page"))

        // No JavaScript: the pictures still show, and the explorer says it needs it.
        let (quiet, browser) = try status(page, scriptsOff: true)
        XCTAssertTrue(quiet.contains("needs JavaScript"), quiet)
        let images = try XCTUnwrap(
            browser.evaluate("Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length") as? Int
        )
        XCTAssertEqual(images, 11, "the style-transfer sheets load without scripts")

        // A browser without WebAssembly: one sentence, nothing thrown at the console.
        let (none, noWasm) = try status(page, beforeLoad: "delete globalThis.WebAssembly")
        XCTAssertTrue(none.contains("cannot run the model"), none)
        XCTAssertEqual(noWasm.problems, [])
    }
}
