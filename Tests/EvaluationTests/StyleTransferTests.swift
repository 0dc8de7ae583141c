import Datasets
import Evaluation
import Foundation
import RunModel
import Tensor
import TestSupport
import Training
import VAEGAN
import XCTest

/// Does the shipped article model carry style across labels? Its style-transfer sheets, against
/// the same sheets from a decoder that ignores z (what the printed variant's collapse produces).
final class StyleTransferTests: XCTestCase {

    /// The columns of a sheet row must differ at least this much, as a share of how much the real
    /// digits they came from differ. Two real digits of one label differ by about 0.3 RMS per pixel
    /// (strokes in other places); a tenth of that moves or thickens a stroke by about a pixel, which
    /// a reader sees. A decoder that ignores z draws ten identical columns and scores 0.
    static let minimumSpread = 0.1

    override class func setUp() { Threads.set(2) }

    func model() throws -> (ModelWeights, ModelConfig, DigitSet) {
        try requireMNIST()
        let test = try Dataset.load(directory: DatasetKind.mnist.defaultDirectory).test
        let article = try ArticleModel.open()
        return (article.model.inference.weights, article.config, test)
    }

    func testTheArticleModelsSheetsCarryStyle() throws {
        let (weights, config, test) = try model()
        let evaluator = Evaluator(classifier: try Classifier.load(path: ClassifierTests.shipped), test: test)
        let spread = evaluator.styleSpread(Inference(weights: weights, config: config), config: config)
        XCTAssertGreaterThanOrEqual(
            spread, Self.minimumSpread, "the columns of a style-transfer row differ \(spread) as much as their inputs")
    }

    /// The same measure on the same weights with the decoder cut off from z (the rows of
    /// decoder.dense1 that read z set to zero): every column of a row is one digit.
    func testADecoderThatIgnoresZFailsTheSameBar() throws {
        let (weights, config, test) = try model()
        let kernel = weights.kernel(weights.architecture.decoderDense1).value
        let width = kernel.shape[1]
        for row in 0..<config.latentDim { (kernel.data + row * width).update(repeating: 0, count: width) }
        let evaluator = Evaluator(classifier: try Classifier.load(path: ClassifierTests.shipped), test: test)
        let spread = evaluator.styleSpread(Inference(weights: weights, config: config), config: config)
        XCTAssertLessThan(
            spread, Self.minimumSpread / 10, "a decoder that ignores z copies one digit across a row (\(spread))")
    }

    /// Real digits against themselves: the measure is 1 when the "re-drawn" rows are the inputs.
    func testPairwiseDistanceOfKnownImages() {
        let a = Tensor(shape: [3, 2, 2, 1], values: [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1])
        // pairs: (0,1) RMS 1, (0,2) sqrt(0.5), (1,2) sqrt(0.5)
        XCTAssertEqual(Metrics.pairwiseDistance(a), (1 + 2 * 0.5.squareRoot()) / 3, accuracy: 1e-6)
        XCTAssertTrue(Metrics.pairwiseDistance(Tensor(shape: [1, 2, 2, 1])).isNaN)
    }
}
