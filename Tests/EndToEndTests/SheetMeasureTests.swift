import Canvas
import Evaluation
import Foundation
import Tensor
import TestSupport
import XCTest

/// `evaluate --sheet`: a picture of a sheet, measured by the program, gives what the same tiles
/// give in memory; bad pictures and grids get one line.
final class SheetMeasureTests: XCTestCase {
    /// Bars of thickness 1...5 (the inputs' row) and the same bars two pixels wider but squeezed
    /// (all thickness 3 or 4): a sheet whose carry is known in memory.
    func tiles() -> [[UInt8]] {
        func bar(_ thickness: Int) -> [UInt8] {
            var t = [UInt8](repeating: 0, count: 784)
            for y in 4..<24 { for x in 12..<(12 + thickness) { t[y * 28 + x] = 255 } }
            return t
        }
        return [1, 2, 3, 4, 5].map(bar) + [3, 3, 4, 4, 4].map(bar)
    }

    func testAPictureOfASheetMeasuresAsItsTiles() throws {
        let dir = try tempDir("sheet")
        let side = 28 * 4  // four picture pixels per tile pixel
        let picture = Surface(width: 5 * side, height: 2 * side)
        picture.fill(1, 1, 1)
        for (k, tile) in tiles().enumerated() {
            picture.drawGrey(
                tile, width: 28, height: 28, x: Double((k % 5) * side), y: Double((k / 5) * side),
                drawWidth: Double(side), drawHeight: Double(side), invert: true)
        }
        try picture.writePNG(to: dir + "/sheet.png")
        let r = try runCLI(
            ["evaluate", "--sheet", dir + "/sheet.png", "--grid", "2x5", "--input-row", "0", "--json"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let measure = try EvaluationRecord.decoder().decode(SheetMeasure.self, from: Data(r.stdout.utf8))
        XCTAssertEqual(measure.inverted, true)
        let carry = measure.carry
        let expected = try XCTUnwrap(
            StyleCarry(
                tiles: Tensor(shape: [10, 28, 28, 1], values: tiles().flatMap { $0.map { Float($0) / 255 } }),
                rows: 2, inputRow: 0))
        XCTAssertEqual(carry.inkCarry, expected.inkCarry, accuracy: 1e-6)
        XCTAssertEqual(carry.inkRatio, expected.inkRatio, accuracy: 1e-6)
        XCTAssertEqual(expected.inkRatio, 3.6 / 3, accuracy: 1e-6)
        XCTAssertTrue(carry.slantCarry.isNaN, "upright bars have no slant to carry (written \"nan\")")
    }

    func testBadSheetsAndGridsAreNamed() throws {
        let dir = try tempDir("sheet")
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: dir + "/bad.png"))
        for (args, says) in [
            (["--sheet", dir + "/missing.png"], dir + "/missing.png"),
            (["--sheet", dir + "/bad.png"], dir + "/bad.png"),
            (["--sheet", dir + "/bad.png", "--grid", "10"], "--grid must be ROWSxCOLUMNS"),
            (["--sheet", dir + "/bad.png", "--grid", "1x10"], "--grid must be ROWSxCOLUMNS"),
            (["--sheet", dir + "/bad.png", "--input-row", "10"], "--input-row must be between 0 and 9")
        ] {
            let r = try runCLI(["evaluate"] + args, in: dir)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(says), "\(args): \(r.stderr) should say \(says)")
        }
    }
}
