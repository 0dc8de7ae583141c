import Evaluation
import Foundation
import RunFolder
import Tensor
import TestSupport
import XCTest

/// `ManifoldVariation` on tiles whose ink, width, slant and spread are known by construction.
final class ManifoldVariationTests: XCTestCase {
    /// `n` tiles of 28x28, each drawn by `draw(tile, set)` with set(x, y, value).
    func tiles(_ n: Int, _ draw: (Int, (Int, Int, Float) -> Void) -> Void) -> Tensor {
        let t = Tensor(shape: [n, 28, 28, 1])
        for k in 0..<n { draw(k) { x, y, v in t[k * 784 + y * 28 + x] = v } }
        return t
    }

    func shape(_ t: Tensor) -> ManifoldVariation.TileShape { ManifoldVariation.shape(t.data, h: 28, w: 28) }

    func testInkWidthAndSlantOfKnownStrokes() {
        // A vertical bar, column 10, rows 4..<24: 20 pixels of ink, no width, no slant.
        let bar = tiles(1) { _, set in for y in 4..<24 { set(10, y, 1) } }
        XCTAssertEqual(shape(bar).ink, 20.0 / 784, accuracy: 1e-12)
        XCTAssertEqual(shape(bar).width, 0, accuracy: 1e-12)
        XCTAssertEqual(shape(bar).slant, 0, accuracy: 1e-12)
        // Two full columns 4 pixels apart: every pixel 2 from the centre column.
        let two = tiles(1) { _, set in for y in 0..<28 { set(8, y, 1); set(12, y, 1) } }
        XCTAssertEqual(shape(two).width, 2, accuracy: 1e-12)
        XCTAssertEqual(shape(two).slant, 0, accuracy: 1e-12)
        // x = 24 - y: one column left per row down, a stroke leaning right ("/"): slant -1.
        let lean = tiles(1) { _, set in for y in 4..<24 { set(24 - y, y, 0.5) } }
        XCTAssertEqual(shape(lean).slant, -1, accuracy: 1e-12)
        XCTAssertEqual(shape(lean).ink, 10.0 / 784, accuracy: 1e-12)
        let blank = shape(tiles(1) { _, _ in })
        XCTAssertEqual([blank.ink, blank.width, blank.slant], [0, 0, 0])
    }

    func testAGridOfOneDigitIsFlat() {
        let same = tiles(225) { _, set in for y in 4..<24 { set(24 - y, y, 1); set(10, y, 0.5) } }
        let v = ManifoldVariation(tiles: same)
        XCTAssertEqual(v.tileSpread, 0, accuracy: 1e-9)
        XCTAssertEqual([v.inkRange, v.widthRange, v.slantRange], [0, 0, 0])
    }

    /// 21 tiles, tile k every pixel k/20: ink 0, 0.05, ..., 1. Its 5-95% range (nearest rank) is
    /// 0.95 - 0.05; every pixel's standard deviation across tiles is that of {0, 0.05, ..., 1}.
    func testRangesAndSpreadOfAGradedGrid() {
        let graded = tiles(21) { k, set in for y in 0..<28 { for x in 0..<28 { set(x, y, Float(k) / 20) } } }
        let v = ManifoldVariation(tiles: graded)
        XCTAssertEqual(v.inkRange, 0.9, accuracy: 1e-6)
        let squares: [Double] = (0...20).map { k in
            let d = Double(k) / 20 - 0.5
            return d * d
        }
        let std = (squares.reduce(0, +) / 21).squareRoot()
        XCTAssertEqual(v.tileSpread, std, accuracy: 1e-6)
        // Every tile but the blank one has the same width: the blank one lies outside the 5-95%
        // range, which a stray tile does not move.
        XCTAssertEqual(v.widthRange, 0, accuracy: 1e-9)
        XCTAssertEqual(ManifoldVariation(mean: [v, v]), v)
    }

    /// An evaluation.json written before the manifold variation was measured still reads.
    func testAnOlderEvaluationReads() throws {
        let dir = RunDirectory(try tempDir("evaluation"))
        let old = minimalEvaluationJSON()
        try Data(old.utf8).write(to: URL(fileURLWithPath: dir.evaluationPath))
        let record = try XCTUnwrap(EvaluationRecord.read(dir))
        XCTAssertNil(record.report.manifoldVariation)
        XCTAssertTrue(record.table().contains { $0.hasPrefix("manifold variation") && $0.contains("not measured") })
    }
}
