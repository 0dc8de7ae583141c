import Datasets
import Foundation
import RunModel
import Tensor
import TestSupport
import VAEGAN
import XCTest

/// The manifold's own axes: which two dimensions, and a grid drawn over any two.
final class LatentAxesTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    func testTheTwoWidestDimensionsInOrder() {
        // The spread of the shipped model's z_mean over test 7s, by dimension (as measured in issue 37).
        let spread = [0.10, 0.28, 0.19, 0.11, 0.11, 0.27, 0.20, 0.11]
        let axes = LatentAxes.widest(spread.map { $0 * $0 })
        XCTAssertEqual([axes.column, axes.row], [1, 5])
        let tie = LatentAxes.widest([0.5, 0.2, 0.5, 0.5])
        XCTAssertEqual([tie.column, tie.row], [0, 2], "ties go to the lower index")
    }

    /// A grid over (z[1], z[0]) is the notebook's grid over (z[0], z[1]) transposed: cell (i, j)
    /// of one is cell (j, i) of the other, decoded from the same code (at another place in the
    /// batch, so equal up to the kernels' rounding, which depends on it).
    func testAGridOverSwappedAxesIsTheTransposedGrid() {
        var rng = RNG(seed: 5)
        let inference = Inference(
            weights: ModelWeights(latentDim: 8, data: .digits, rng: &rng), config: ModelConfig(data: .digits))
        let n = 5
        let notebook = inference.manifoldImages(label: 3, n: n)
        XCTAssertEqual(
            inference.manifoldImages(label: 3, n: n, axes: Inference.notebookAxes).array, notebook.array)
        let swapped = inference.manifoldImages(label: 3, n: n, axes: (column: 1, row: 0))
        var worst: Float = 0
        for i in 0..<n {
            for j in 0..<n {
                for p in 0..<784 {
                    worst = max(worst, abs(swapped[(i * n + j) * 784 + p] - notebook[(j * n + i) * 784 + p]))
                }
            }
        }
        XCTAssertLessThan(worst, 1e-5, "the transposed cells differ by more than rounding")
        XCTAssertNotEqual(inference.manifoldImages(label: 3, n: n, axes: (column: 2, row: 5)).array, notebook.array)
    }

    /// The variances are those of z_mean itself, computed here from the encoder's output.
    func testVariancesOfTheEncodersMeans() throws {
        try requireMNIST()
        let test = try Dataset.load(directory: DatasetKind.mnist.defaultDirectory).test
        let inference = try ArticleModel.open().model.inference
        let indices = Array(test.indices(ofLabel: 7).prefix(40))
        let images = Batch.images(test, indices)
        let mean = inference.encodeMean(images, labels: Batch.oneHot(Array(repeating: 7, count: 40), data: .digits))
        let v = LatentAxes.variances(inference, images: images, label: 7)
        for k in 0..<8 {
            let column = (0..<40).map { Double(mean[$0 * 8 + k]) }
            let m = column.reduce(0, +) / 40
            XCTAssertEqual(v[k], column.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 40, accuracy: 1e-9)
        }
        XCTAssertGreaterThan(v.max()!, 4 * v.min()!, "the dimensions carry unequal shares: \(v)")
    }
}
