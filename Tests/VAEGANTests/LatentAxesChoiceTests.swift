import Datasets
import Tensor
import VAEGAN
import XCTest

/// `--axes` read: a pair of dimensions or 'auto', and the pair checked against the latent space.
final class LatentAxesChoiceTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    func testAPairOrAuto() throws {
        let pair = try LatentAxes.Choice("4,0")
        XCTAssertEqual(pair.pair.map { [$0.column, $0.row] }, [4, 0])
        XCTAssertNil(try LatentAxes.Choice("auto").pair)
        for bad in ["3", "1,1", "-1,2", "1,2,3", "a,b", ""] {
            XCTAssertThrowsError(try LatentAxes.Choice(bad), bad) {
                XCTAssertEqual("\($0)", "--axes must be 'auto' or two different dimensions 'i,j', got '\(bad)'")
            }
        }
    }

    func testAGivenPairMustBeInTheLatentSpace() throws {
        var rng = RNG(seed: 1)
        let inference = Inference(
            weights: ModelWeights(latentDim: 4, data: .digits, rng: &rng),
            config: ModelConfig(data: .digits, latentDim: 4))
        let noTestDigits: () throws -> DigitSet = {
            XCTFail("a given pair measures nothing"); throw CancellationError()
        }
        let axes = try LatentAxes.Choice("3,1").resolve(labels: [2, 5], inference: inference, test: noTestDigits)
        XCTAssertEqual(axes.keys.sorted(), [2, 5])
        XCTAssertEqual(axes[5].map { [$0.column, $0.row] }, [3, 1])
        XCTAssertThrowsError(
            try LatentAxes.Choice("1,4").resolve(labels: [0], inference: inference, test: noTestDigits)
        ) {
            XCTAssertEqual("\($0)", "--axes 1,4: the latent space has dimensions 0-3")
        }
    }
}
