import Browser
import Datasets
import Deflate
import Evaluation
import Foundation
import Report
import RunModel
import TestSupport
import VAEGAN
import XCTest

/// weights.js of the shipped article model, read back into the program's own type: its manifest
/// covers the halves end to end, its CRC-32 is its bytes', and the files beside it are Browser's.
final class WebModelExportTests: XCTestCase {
    func weights(_ script: String) throws -> WebModel.WeightsFile {
        XCTAssertTrue(script.hasPrefix(WebModel.weightsScriptPrefix))
        XCTAssertTrue(script.hasSuffix(";\n"))
        let json = script.dropFirst(WebModel.weightsScriptPrefix.count).dropLast(2)
        return try JSONDecoder().decode(WebModel.WeightsFile.self, from: Data(json.utf8))
    }

    func testTheWeightsReadBackWholeAndUndamaged() throws {
        let article = try ArticleModel.open()
        let names = (0..<10).map { "class \($0)" }
        var config = article.config
        config.data = DataDescription(names: names)
        let named = LatestModel(
            inference: Inference(weights: article.model.inference.weights, config: config),
            iteration: article.model.iteration)
        let mnist = WebModel.weightsScript(article.model, classifier: nil, madeBy: "")
        XCTAssertNil(try weights(mnist).classNames)
        // MNIST's 28x28 grey is what model.js takes when weights.js names no shape: a grey 28x28
        // run's weights.js is what it was before colour.
        XCTAssertNil(try weights(mnist).side)
        XCTAssertNil(try weights(mnist).channels)
        XCTAssertFalse(mnist.contains(#""side""#) || mnist.contains(#""channels""#))
        // Nor a set's fitting, which only one's own data records.
        XCTAssertNil(try weights(mnist).fitting)
        XCTAssertFalse(mnist.contains(#""fitting""#))
        let fitted = WebModel.weightsScript(
            article.model, classifier: nil, madeBy: "", fitting: PictureFitting(inverted: true, background: .white))
        XCTAssertEqual(try weights(fitted).fitting, PictureFitting(inverted: true, background: .white))
        XCTAssertTrue(fitted.contains(#""fitting":{"background":"white","inverted":true}"#), "as model.js reads it")
        let file = try weights(WebModel.weightsScript(named, classifier: nil, madeBy: "a test"))
        XCTAssertEqual(file.format, WebModel.format)
        XCTAssertEqual(file.latentDim, article.config.latentDim)
        XCTAssertEqual(file.classes, 10)
        XCTAssertEqual(file.classNames, names)
        XCTAssertEqual(file.iteration, article.model.iteration)
        XCTAssertEqual(file.variant, article.config.variant.rawValue)
        XCTAssertEqual(file.madeBy, "a test")

        // The page encodes to z_mean and decodes: no z_log_var head, and no classifier without one.
        XCTAssertFalse(file.tensors.contains { $0.name.hasPrefix("encoder.z_log_var") })
        XCTAssertTrue(file.tensors.contains { $0.name.hasPrefix("encoder.") })
        XCTAssertTrue(file.tensors.contains { $0.name.hasPrefix("decoder.") })
        XCTAssertFalse(file.tensors.contains { $0.name.hasPrefix("classifier.") })
        var next = 0
        for entry in file.tensors {
            XCTAssertEqual(entry.offset, next, entry.name)
            next += entry.shape.reduce(1, *)
        }
        XCTAssertEqual(next, file.count, "the tensors cover the halves end to end")
        let bytes = try XCTUnwrap(Data(base64Encoded: file.data))
        XCTAssertEqual(bytes.count, 2 * file.count)
        XCTAssertEqual(String(Zlib.crc32([UInt8](bytes)), radix: 16), file.crc32)

        let numbered = try weights(WebModel.weightsScript(article.model, classifier: nil, madeBy: "a test"))
        XCTAssertNil(numbered.classNames)
        XCTAssertEqual(numbered.tensors, file.tensors)
    }

    /// With a classifier of the model's classes the page can read drawings: its tensors come
    /// after the model's, under `classifier.`; the three files are written, model.js and
    /// explore.js as Browser embeds them.
    func testTheClassifierAndTheThreeFiles() throws {
        let article = try ArticleModel.open()
        let classifier = try Classifier.load(path: Classifier.shippedPath)
        let dir = try tempDir("web-model")
        try WebModel.write(article.model, classifier: classifier, madeBy: "a test", to: dir)
        let text = { (file: String) in try String(contentsOfFile: dir + "/" + file, encoding: .utf8) }
        let file = try weights(try text(WebModel.weightsFile))
        let classifierTensors = file.tensors.filter { $0.name.hasPrefix("classifier.") }
        XCTAssertEqual(classifierTensors.count, classifier.names.count)
        XCTAssertEqual(file.tensors.suffix(classifierTensors.count), classifierTensors[...])
        XCTAssertEqual(try text(WebModel.scriptFile), WebModel.script)
        XCTAssertEqual(try text(WebModel.explorerFile), WebModel.explorerScript)
        XCTAssertTrue(WebModel.script.contains("const VAEGAN_WASM = \""))
    }
}
