import Datasets
import Evaluation
import Foundation
import Tensor
import XCTest

/// The carry measures on sheets whose answer is known: drawn by hand (bars of chosen thickness and
/// shear), copied, flattened, and cut from a picture.
final class StyleCarryTests: XCTestCase {
    /// A 28x28 tile with a bar `thickness` pixels wide, rows 4..<24, each row's bar moved right by
    /// `shear` pixels per row below the middle (rounded): a stroke of chosen weight and slant.
    func bar(thickness: Int, shear: Double = 0, left: Int = 12) -> [Float] {
        var t = [Float](repeating: 0, count: 784)
        for y in 4..<24 {
            let x0 = left + Int((shear * Double(y - 14)).rounded())
            for x in x0..<(x0 + thickness) where (0..<28).contains(x) { t[y * 28 + x] = 1 }
        }
        return t
    }

    /// A sheet [rows * columns, 28, 28, 1] from its tiles, row-major.
    func sheet(_ rows: [[[Float]]]) -> Tensor {
        Tensor(shape: [rows.count * rows[0].count, 28, 28, 1], values: rows.flatMap { $0.flatMap { $0 } })
    }

    let inputs = (1...5).map { thickness in (thickness, Double(thickness - 3) * 0.2) }

    func inputRow() -> [[Float]] { inputs.map { bar(thickness: $0.0, shear: $0.1) } }

    func testACopiedSheetCarriesEverythingWhole() throws {
        let row = inputRow()
        let carry = try XCTUnwrap(StyleCarry(tiles: sheet([row, row, row]), rows: 3, inputRow: 1))
        XCTAssertEqual(carry.inkCarry, 1, accuracy: 1e-12)
        XCTAssertEqual(carry.widthCarry, 1, accuracy: 1e-12)
        XCTAssertEqual(carry.slantCarry, 1, accuracy: 1e-12)
        XCTAssertEqual(carry.inkRatio, 1, accuracy: 1e-12)
        XCTAssertEqual(carry.inkCorrelation, 1, accuracy: 1e-12)
        XCTAssertEqual(carry.columns, 5)
    }

    func testRowsOfOneDigitCarryNothing() throws {
        let same = Array(repeating: bar(thickness: 3), count: 5)
        let carry = try XCTUnwrap(StyleCarry(tiles: sheet([inputRow(), same, same]), rows: 3, inputRow: 0))
        XCTAssertEqual(carry.inkCarry, 0, accuracy: 1e-12)
        XCTAssertEqual(carry.slantCarry, 0, accuracy: 1e-12)
        // Thickness 3 is the inputs' mean thickness: as bold as the inputs on average.
        XCTAssertEqual(carry.inkRatio, 1, accuracy: 1e-12)
    }

    /// Generated rows whose bars are all one pixel thicker than their inputs (same spread, bolder),
    /// and rows whose thickness varies half as much: carries computed by hand from the bar areas.
    func testThickenedAndSqueezedRows() throws {
        let bolder = inputs.map { bar(thickness: $0.0 + 1, shear: $0.1) }
        // Thickness 1..5 squeezed to 2, 2, 3, 3, 4 (std 0.748 against sqrt(2) = 1.414).
        let squeezed = zip([2, 2, 3, 3, 4], inputs).map { bar(thickness: $0.0, shear: $0.1.1) }
        let carry = try XCTUnwrap(StyleCarry(tiles: sheet([inputRow(), bolder, squeezed]), rows: 3, inputRow: 0))
        // Ink is 20 * thickness / 784 (no bar leaves the tile), so ink carry is thickness carry.
        let squeezedCarry = StyleCarryTests.deviation([2, 2, 3, 3, 4]) / StyleCarryTests.deviation([1, 2, 3, 4, 5])
        XCTAssertEqual(carry.inkCarry, (1 + squeezedCarry) / 2, accuracy: 1e-9)
        // Mean thickness: inputs 3, bolder 4, squeezed 2.8.
        XCTAssertEqual(carry.inkRatio, (4 + 2.8) / 2 / 3, accuracy: 1e-9)
        XCTAssertGreaterThan(carry.inkCorrelation, 0.9)
    }

    /// Upright rows from slanted inputs carry no slant, whatever their ink.
    func testUprightRowsLoseTheSlant() throws {
        let upright = inputs.map { bar(thickness: $0.0) }
        let carry = try XCTUnwrap(StyleCarry(tiles: sheet([inputRow(), upright]), rows: 2, inputRow: 0))
        XCTAssertEqual(carry.slantCarry, 0, accuracy: 1e-12)
        XCTAssertEqual(carry.inkCarry, 1, accuracy: 1e-12)
    }

    func testInputsThatDoNotVaryHaveNoCarry() throws {
        let same = Array(repeating: bar(thickness: 3), count: 4)
        XCTAssertNil(StyleCarry(tiles: sheet([same, same]), rows: 2, inputRow: 0))
        // Upright bars vary in ink and width but not in slant: that carry alone is undefined.
        let upright = (1...4).map { bar(thickness: $0) }
        let carry = try XCTUnwrap(StyleCarry(tiles: sheet([upright, upright]), rows: 2, inputRow: 0))
        XCTAssertTrue(carry.slantCarry.isNaN)
        XCTAssertEqual(carry.inkCarry, 1, accuracy: 1e-12)
    }

    /// A picture of a sheet at 5 pixels per tile pixel, with a frame of light ground, its strokes
    /// of ink 0.6 shown through a grey map: the tiles cut from it are the tiles it was drawn from,
    /// once its dark-on-light strokes are read back through the same map. Read through the other
    /// map, they are not.
    func testASheetPictureIsCutBackIntoItsTiles() throws {
        let rows = [inputRow(), inputs.map { bar(thickness: $0.0 + 1) }].map { $0.map { $0.map { 0.6 * $0 } } }
        let (w, h) = (5 * 28 * 5, 2 * 28 * 5)
        func picture(_ map: GreyMap) -> [Float] {
            var luminance = [Float](repeating: 1, count: w * h)
            for (r, row) in rows.enumerated() {
                for (c, tile) in row.enumerated() {
                    for y in 0..<(28 * 5) {
                        for x in 0..<(28 * 5) {
                            luminance[(r * 140 + y) * w + c * 140 + x] = Float(
                                map.luminance(ink: Double(tile[(y / 5) * 28 + x / 5])))
                        }
                    }
                }
            }
            return luminance
        }
        let drawn = rows.flatMap { $0.flatMap { $0 } }
        for map in GreyMap.allCases {
            let (ink, inverted) = SheetPicture.ink(luminance: picture(map), width: w, height: h, map: map)
            XCTAssertTrue(inverted)
            let tiles = SheetPicture.tiles(ink: ink, width: w, height: h, rows: 2, columns: 5)
            XCTAssertEqual(
                zip(tiles.array, drawn).map { abs($0 - $1) }.max() ?? 1, 0, accuracy: 1e-6, "drawn and read \(map)")
            // Light strokes on a dark ground are kept as they are.
            XCTAssertFalse(SheetPicture.ink(luminance: ink, width: w, height: h, map: map).inverted)
        }
        // 'Greys' shows ink 0.6 at luminance 0.478, which a ramp reads as ink 0.522.
        let misread = SheetPicture.ink(luminance: picture(.greys), width: w, height: h, map: .linear).ink
        XCTAssertEqual(misread.max() ?? 0, 0.522, accuracy: 0.001)
    }

    /// A sheet laid out as the program draws its own: a title above the grid and a name left of
    /// each row (blocks of ink), the grid at the bottom right in cells of 3 picture pixels per
    /// tile pixel. The grid is found, the title and names left out, and its tiles carry what the
    /// drawn ones do; the same tiles alone are found whole; a picture of noise holds none.
    func testTheGridIsFoundInsideASheet() throws {
        let rows = [inputRow(), inputs.map { bar(thickness: $0.0 + 1) }, inputs.map { bar(thickness: $0.0 + 2) }]
        let (x0, y0, cell) = (130, 59, 84)
        let (w, h) = (x0 + 5 * cell, y0 + 3 * cell)
        var ink = [Float](repeating: 0, count: w * h)
        for (r, row) in rows.enumerated() {
            for (c, tile) in row.enumerated() {
                for y in 0..<cell {
                    for x in 0..<cell {
                        ink[(y0 + r * cell + y) * w + x0 + c * cell + x] = tile[(y / 3) * 28 + x / 3]
                    }
                }
            }
            // The row's name, centred on the row, ending 20 pixels before the grid.
            for y in (y0 + r * cell + 32)..<(y0 + r * cell + 52) { for x in (40 + r * 10)..<110 { ink[y * w + x] = 1 } }
        }
        for y in 20..<42 { for x in 200..<420 where x % 9 < 5 { ink[y * w + x] = 1 } }  // the title
        // Flush with the picture's right and bottom edges; its cells as large as blank ground lets
        // them be (a grid a little larger than the drawn one holds the same digits whole), off by
        // less than a quarter of a cell.
        let found = try XCTUnwrap(SheetGrid.find(ink: ink, width: w, height: h, rows: 3, columns: 5))
        XCTAssertEqual(found.x0, Double(x0), accuracy: Double(cell) / 4, "\(found)")
        XCTAssertEqual(found.y0, Double(y0), accuracy: Double(cell) / 4, "\(found)")
        XCTAssertEqual(found.x1, Double(w), accuracy: 3, "\(found)")
        XCTAssertEqual(found.y1, Double(h), accuracy: 3, "\(found)")
        let tiles = SheetPicture.tiles(ink: ink, width: w, height: h, rows: 3, columns: 5, grid: found)
        let carry = try XCTUnwrap(StyleCarry(tiles: tiles, rows: 3, inputRow: 0))
        let drawn = try XCTUnwrap(
            StyleCarry(tiles: sheet(rows), rows: 3, inputRow: 0))
        XCTAssertEqual(carry.inkCarry, drawn.inkCarry, accuracy: 0.01)
        XCTAssertEqual(carry.inkRatio, drawn.inkRatio, accuracy: 0.01)
        // The grid alone: found whole.
        var bare = [Float](repeating: 0, count: 5 * cell * 3 * cell)
        for r in 0..<3 {
            for x in 0..<(5 * cell) {
                for y in 0..<cell { bare[(r * cell + y) * 5 * cell + x] = ink[(y0 + r * cell + y) * w + x0 + x] }
            }
        }
        XCTAssertEqual(
            SheetGrid.find(ink: bare, width: 5 * cell, height: 3 * cell, rows: 3, columns: 5),
            .whole(width: 5 * cell, height: 3 * cell))
        // Noise: no grid.
        var rng = RNG(seed: 4)
        let noise = (0..<(300 * 300)).map { _ in rng.uniformFloat() }
        XCTAssertNil(SheetGrid.find(ink: noise, width: 300, height: 300, rows: 10, columns: 10))
    }

    /// Cells that do not fall on whole pixels are averaged by area: a 2x2 picture of one grid
    /// cell averaged down to a 1x1 tile is its mean, and a 3-pixel-wide picture cut into a 2-pixel
    /// tile splits the middle pixel between both.
    func testAreaAveraging() {
        let one = SheetPicture.tiles(ink: [0, 1, 1, 1], width: 2, height: 2, rows: 1, columns: 1, side: 1)
        XCTAssertEqual(one.array, [0.75])
        let split = SheetPicture.tiles(ink: [0, 1, 1], width: 3, height: 1, rows: 1, columns: 1, side: 2)
        // Target pixel 0 covers [0, 1.5): pixel 0 whole and half of pixel 1; target 1 the rest.
        XCTAssertEqual(split.shape, [1, 2, 2, 1])
        XCTAssertEqual(split[0], Float(0.5 / 1.5), accuracy: 1e-6)
        XCTAssertEqual(split[1], 1, accuracy: 1e-6)
    }

    func testInkDecilesFollowTheirInputs() {
        // Forty bars of thickness 1..4 (ten each), reconstructed at half their ink plus a floor:
        // the thinnest decile's reconstruction is the thinnest, and the range kept is one half.
        let thickness = (0..<40).map { 1 + $0 % 4 }
        let x = Tensor(shape: [40, 28, 28, 1], values: thickness.flatMap { bar(thickness: $0) })
        let r = Tensor(shape: [40, 28, 28, 1], values: x.array.map { 0.5 * $0 + 0.01 })
        let d = InkDecile.deciles(inputs: x, reconstructions: r)
        XCTAssertEqual(d.count, 10)
        XCTAssertEqual(d[0].inputInk, 20.0 / 784, accuracy: 1e-6)
        XCTAssertEqual(d[9].inputInk, 80.0 / 784, accuracy: 1e-6)
        XCTAssertEqual(d[0].reconstructionInk, 10.0 / 784 + 0.01, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(InkDecile.rangeKept(d)), 0.5, accuracy: 1e-4)
        XCTAssertEqual(d.map(\.inputInk), d.map(\.inputInk).sorted())
    }

    static func deviation(_ v: [Double]) -> Double {
        let m = v.reduce(0, +) / Double(v.count)
        return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
    }
}
