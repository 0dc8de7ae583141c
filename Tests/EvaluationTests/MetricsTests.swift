import Evaluation
import Foundation
import Tensor
import XCTest

/// Each metric on inputs whose answer is known independently.
final class MetricsTests: XCTestCase {
    func testSharpnessOfAStepEdgeAndAFlatImage() {
        // A vertical step edge 0 -> 1 between columns 13 and 14: only column 13 has a gradient,
        // of magnitude 1, in each of the 27 rows that have a lower neighbour: 27 / 27² = 1/27.
        let edge = Tensor(shape: [1, 28, 28, 1])
        for y in 0..<28 { for x in 14..<28 { edge[y * 28 + x] = 1 } }
        XCTAssertEqual(Metrics.sharpness(edge), 1.0 / 27, accuracy: 1e-9)
        // A diagonal ramp p = (x + y) / 54: every gradient is (1/54, 1/54), magnitude sqrt(2)/54.
        let ramp = Tensor(shape: [1, 28, 28, 1])
        for y in 0..<28 { for x in 0..<28 { ramp[y * 28 + x] = Float(x + y) / 54 } }
        XCTAssertEqual(Metrics.sharpness(ramp), 2.0.squareRoot() / 54, accuracy: 1e-6)
        XCTAssertEqual(Metrics.sharpness(Tensor(shape: [2, 28, 28, 1], repeating: 0.5)), 0)
    }

    func testAgreementOverallAndPerLabel() {
        let a = Metrics.agreement(predicted: [0, 1, 1, 2, 2, 2], intended: [0, 1, 2, 2, 2, 0], classes: 3)
        XCTAssertEqual(a.overall, 4.0 / 6)
        XCTAssertEqual(a.perLabel[0], 0.5)
        XCTAssertEqual(a.perLabel[1], 1)
        XCTAssertEqual(a.perLabel[2], 2.0 / 3)
        XCTAssertTrue(
            Metrics.agreement(predicted: [1], intended: [1], classes: 3).perLabel[0].isNaN, "a label never asked for")
    }

    func testDiversityOfKnownPointsAndOfACollapsedSet() {
        // Label 0: points 0, 1, 3 on a line -> distances 1, 3, 2 -> mean 2. Label 1: one point twice -> 0.
        let f = Tensor(shape: [5, 2], values: [0, 0, 1, 0, 3, 0, 5, 5, 5, 5])
        let d = Metrics.diversity(features: f, labels: [0, 0, 0, 1, 1], classes: 3)
        XCTAssertEqual(d[0], 2, accuracy: 1e-9)
        XCTAssertEqual(d[1], 0)
        XCTAssertTrue(d[2].isNaN)
    }

    func testReconstructionErrorOfHalfGreyAgainstBlackAndWhite() {
        let original = Tensor(shape: [1, 2, 2, 1], values: [0, 1, 1, 0])
        let e = Metrics.reconstructionError(
            original: original, reconstructed: Tensor(shape: [1, 2, 2, 1], repeating: 0.5))
        XCTAssertEqual(e.bce, Foundation.log(2.0), accuracy: 1e-6)
        XCTAssertEqual(e.mse, 0.25, accuracy: 1e-12)
        XCTAssertEqual(Metrics.reconstructionError(original: original, reconstructed: original).mse, 0)
    }
}

/// The Fréchet distance against closed forms.
final class FrechetDistanceTests: XCTestCase {
    typealias G = FrechetDistance.Gaussian

    func testIdenticalGaussiansAreAtZero() {
        var rng = RNG(seed: 3)
        let rows = Tensor.normal([400, 16], rng: &rng)
        let g = G(rows: UnsafeBufferPointer(rows.buffer), count: 400, dimension: 16)
        XCTAssertEqual(FrechetDistance.distance(g, g), 0, accuracy: 1e-8)
    }

    func testDiagonalCovariances() {
        // Commuting covariances: d² = |mu_a - mu_b|² + sum (sqrt(a_i) - sqrt(b_i))².
        let a = [4.0, 1, 9], b = [1.0, 1, 16]
        func diag(_ v: [Double]) -> [Double] { (0..<9).map { $0 % 4 == 0 ? v[$0 / 4] : 0 } }
        let d = FrechetDistance.distance(
            G(mean: [1, 2, 3], covariance: diag(a)), G(mean: [1, 0, 3], covariance: diag(b)))
        XCTAssertEqual(d, 4 + 1 + 0 + 1, accuracy: 1e-9)
    }

    func testNonCommutingTwoByTwoAgainstItsClosedForm() {
        // For 2x2 positive definite M, tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)); with M = A½ B A½,
        // tr M = tr(AB) and det M = det A det B.
        let a = [2.0, 0.7, 0.7, 1.0], b = [1.5, -0.4, -0.4, 0.5]
        let trAB = a[0] * b[0] + a[1] * b[2] + a[2] * b[1] + a[3] * b[3]
        let det = (a[0] * a[3] - a[1] * a[2]) * (b[0] * b[3] - b[1] * b[2])
        let expected = (a[0] + a[3]) + (b[0] + b[3]) - 2 * (trAB + 2 * det.squareRoot()).squareRoot() + 0.5 * 0.5
        XCTAssertEqual(
            FrechetDistance.distance(G(mean: [0, 0.5], covariance: a), G(mean: [0, 0], covariance: b)), expected,
            accuracy: 1e-9)
    }

    func testCovarianceOfKnownRows() {
        // Rows (0,0), (2,0), (0,2), (2,2): mean (1,1), variances 4/3, no correlation.
        let rows: [Float] = [0, 0, 2, 0, 0, 2, 2, 2]
        let g = rows.withUnsafeBufferPointer { G(rows: $0, count: 4, dimension: 2) }
        XCTAssertEqual(g.mean, [1, 1])
        XCTAssertEqual(g.covariance[0], 4.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(g.covariance[1], 0, accuracy: 1e-12)
        XCTAssertEqual(g.covariance[3], 4.0 / 3, accuracy: 1e-12)
    }

    func testJacobiEigendecompositionRebuildsTheMatrix() {
        var rng = RNG(seed: 5)
        let d = 24
        let r = Tensor.normal([d, d], rng: &rng)
        var m = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { m[i * d + j] = Double(r[i * d + j] + r[j * d + i]) } }
        let e = SymmetricEigen(m, dimension: d)
        var worst = 0.0, orthogonality = 0.0
        for i in 0..<d {
            for j in 0..<d {
                let rebuilt = (0..<d).map { e.vectors[i * d + $0] * e.values[$0] * e.vectors[j * d + $0] }.reduce(0, +)
                worst = max(worst, abs(rebuilt - m[i * d + j]))
                let dot = (0..<d).map { e.vectors[$0 * d + i] * e.vectors[$0 * d + j] }.reduce(0, +)
                orthogonality = max(orthogonality, abs(dot - (i == j ? 1 : 0)))
            }
        }
        XCTAssertLessThan(worst, 1e-10)
        XCTAssertLessThan(orthogonality, 1e-12)
    }
}
