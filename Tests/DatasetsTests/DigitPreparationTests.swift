import Datasets
import Foundation
import TestSupport
import XCTest

/// A drawing made into an MNIST digit: MNIST's own digits, blown up and moved about a large
/// canvas, come back as themselves; the rules (20x20 box, centre of mass) hold on shapes whose
/// answer is known.
final class DigitPreparationTests: XCTestCase {
    /// Pearson correlation of two images.
    func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count), ma = a.reduce(0, +) / Float(n), mb = b.reduce(0, +) / Float(n)
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices { let x = Double(a[i] - ma), y = Double(b[i] - mb); ab += x * y; aa += x * x; bb += y * y }
        return ab / (aa * bb).squareRoot()
    }

    func testMNISTDigitsBlownUpAndMovedComeBackAsThemselves() throws {
        try requireMNIST()
        let test = try Dataset.load(directory: mnistDirectory).test
        var worst = 1.0
        for i in 0..<50 {
            let digit = Array(test.image(i))
            // 7x nearest-neighbour onto a 300x260 canvas, at an offset that depends on i.
            let w = 300, h = 260, ox = 10 + (i * 37) % 90, oy = 5 + (i * 23) % 60
            var ink = [Float](repeating: 0, count: w * h)
            for y in 0..<(28 * 7) {
                for x in 0..<(28 * 7) where oy + y < h && ox + x < w {
                    ink[(oy + y) * w + ox + x] = digit[(y / 7) * 28 + x / 7]
                }
            }
            let prepared = try DigitPreparation.prepare(ink: ink, width: w, height: h)
            worst = min(worst, correlation(prepared, digit))
        }
        XCTAssertGreaterThan(worst, 0.99, "every test digit comes back as itself")
    }

    func testTheBoxAndTheCentreOfMass() throws {
        // A filled 100x50 bar at the top-left of a 400x400 canvas: 20x10 pixels of full ink
        // after scaling, whose centre of mass (9.5, 4.5) moves to (14, 14), rounded: columns
        // 5...24, rows 10...19.
        var ink = [Float](repeating: 0, count: 400 * 400)
        for y in 0..<50 { for x in 0..<100 { ink[y * 400 + x] = 1 } }
        let out = try DigitPreparation.prepare(ink: ink, width: 400, height: 400)
        for y in 0..<28 {
            for x in 0..<28 {
                XCTAssertEqual(
                    out[y * 28 + x], (5...24).contains(x) && (10...19).contains(y) ? 1 : 0, accuracy: 1e-6,
                    "pixel (\(x), \(y))")
            }
        }
        // Two 3x6 bars with a one-pixel gap (a 7x6 box) scale by 20/7 to 20x17 output pixels;
        // those over the gap's edges are partly covered and come out grey (the anti-aliasing),
        // and the ink is kept: 36 input pixels of ink spread over 20*17 / (7*6) as many.
        var bars = [Float](repeating: 0, count: 60 * 60)
        for y in 10..<16 { for x in [10, 11, 12, 14, 15, 16] { bars[y * 60 + x] = 1 } }
        let t = try DigitPreparation.prepare(ink: bars, width: 60, height: 60)
        XCTAssertEqual(Double(t.reduce(0, +)), 36 * (20.0 * 17) / (7 * 6), accuracy: 1e-3, "the ink is kept")
        XCTAssertTrue(t.contains { $0 > 0.05 && $0 < 0.95 }, "the edges are anti-aliased")
        XCTAssertEqual(
            t.filter { $0 > 0 }.count, 20 * 17 - 2 * 17,
            "the two output columns wholly over the gap, [3.15, 3.85), stay empty")
    }

    func testAnEmptyOrMismatchedDrawingIsRefused() {
        XCTAssertThrowsError(
            try DigitPreparation.prepare(ink: [Float](repeating: 0, count: 100), width: 10, height: 10)
        ) {
            XCTAssertEqual("\($0)", "the drawing is empty")
        }
        XCTAssertThrowsError(try DigitPreparation.prepare(ink: [1, 1, 1], width: 2, height: 2)) {
            XCTAssertEqual("\($0)", "the drawing holds 3 values for 2x2 pixels")
        }
    }
}
