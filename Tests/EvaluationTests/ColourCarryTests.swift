import Evaluation
import Foundation
import Tensor
import XCTest

/// The colour carry on sheets whose answer is known: rows that copy their inputs' tints, rows of
/// one tint, rows turned round the hue circle; and colour images read as luminance.
final class ColourCarryTests: XCTestCase {
    /// An RGB colour of `hue` (radians), full saturation, brightness `value` (HSV -> RGB).
    func colour(hue: Double, value: Double) -> (Double, Double, Double) {
        let h = (hue / (Double.pi / 3)).truncatingRemainder(dividingBy: 6)
        let x = value * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
        switch Int(h) {
        case 0: return (value, x, 0)
        case 1: return (x, value, 0)
        case 2: return (0, value, x)
        case 3: return (0, x, value)
        case 4: return (x, 0, value)
        default: return (value, 0, x)
        }
    }

    /// A 6x6 tile: a 3x4 stroke in `rgb` on black.
    func tile(_ rgb: (Double, Double, Double)) -> [Float] {
        var t = [Float](repeating: 0, count: 6 * 6 * 3)
        for y in 1..<5 {
            for x in 2..<5 {
                let p = (y * 6 + x) * 3
                t[p] = Float(rgb.0); t[p + 1] = Float(rgb.1); t[p + 2] = Float(rgb.2)
            }
        }
        return t
    }

    /// Six inputs of hues 60 degrees apart and brightness rising, and two generated rows made by
    /// `row` from each input's (hue, value).
    func sheet(_ row: (Int, Double, Double) -> (Double, Double, Double)) -> ColourCarry? {
        let inputs = (0..<6).map { (Double($0) * Double.pi / 3, 0.5 + 0.1 * Double($0)) }
        var values: [Float] = []
        for r in 0..<3 {
            for (c, (hue, value)) in inputs.enumerated() {
                values += tile(r == 1 ? colour(hue: hue, value: value) : row(c, hue, value))
            }
        }
        return ColourCarry(tiles: Tensor(shape: [18, 6, 6, 3], values: values), rows: 3, inputRow: 1)
    }

    func testRowsThatCopyTheirInputsCarryOneAndRowsOfOneTintNone() throws {
        let copied = try XCTUnwrap(sheet { _, hue, value in self.colour(hue: hue, value: value) })
        XCTAssertEqual(copied.hueCarry, 1, accuracy: 1e-6)
        XCTAssertEqual(copied.brightnessCarry, 1, accuracy: 1e-6)
        XCTAssertEqual(copied.columns, 6)
        let oneTint = try XCTUnwrap(sheet { _, _, _ in self.colour(hue: 2, value: 0.8) })
        XCTAssertEqual(oneTint.hueCarry, 0, accuracy: 1e-6, "six hues evenly round the circle against one")
        XCTAssertEqual(oneTint.brightnessCarry, 0, "one brightness: no correlation")
        XCTAssertEqual(oneTint.saturationCarry, 0)
        let turned = try XCTUnwrap(sheet { _, hue, value in self.colour(hue: hue + Double.pi / 3, value: value) })
        XCTAssertEqual(turned.hueCarry, 0.5, accuracy: 1e-6, "every hue turned 60 degrees carries cos 60")
        XCTAssertEqual(turned.brightnessCarry, 1, accuracy: 1e-6, "the brightness still follows the inputs")
        let darkened = try XCTUnwrap(sheet { c, hue, _ in self.colour(hue: hue, value: 1 - 0.1 * Double(c)) })
        XCTAssertEqual(darkened.brightnessCarry, -1, accuracy: 1e-6, "bright inputs drawn dark: anti-correlated")
        XCTAssertEqual(darkened.hueCarry, 1, accuracy: 1e-6)
    }

    func testGreyInputsHaveNoColourToCarry() {
        let grey = Tensor(shape: [4, 6, 6, 3], values: (0..<4).flatMap { _ in tile((0.5, 0.5, 0.5)) })
        XCTAssertNil(ColourCarry(tiles: grey, rows: 2, inputRow: 0))
        XCTAssertNil(ColourCarry(tiles: Tensor(shape: [4, 6, 6, 1]), rows: 2, inputRow: 0), "grey tiles")
    }

    func testHSVOfKnownColours() {
        let orange = ColourCarry.TileColour(red: 1, green: 0.5, blue: 0)
        XCTAssertEqual(orange.hue, Double.pi / 6, accuracy: 1e-9)
        XCTAssertEqual(orange.saturation, 1)
        XCTAssertEqual(orange.brightness, 1)
        let magenta = ColourCarry.TileColour(red: 0.5, green: 0.25, blue: 0.5)
        XCTAssertEqual(magenta.hue, 5 * Double.pi / 3, accuracy: 1e-9)
        XCTAssertEqual(magenta.saturation, 0.5)
    }

    func testColourImagesAreReadAsTheirLuminance() {
        let images = Tensor(shape: [1, 1, 2, 3], values: [1, 0, 0, 0.2, 0.4, 1])
        XCTAssertEqual(images.luminance.shape, [1, 1, 2, 1])
        XCTAssertEqual(images.luminance.array[0], 0.2126, accuracy: 1e-6)
        XCTAssertEqual(images.luminance.array[1], 0.2126 * 0.2 + 0.7152 * 0.4 + 0.0722, accuracy: 1e-6)
        let grey = Tensor(shape: [1, 2, 2, 1], values: [0.1, 0.2, 0.3, 0.4])
        XCTAssertTrue(grey.luminance === grey, "grey images as they are")
    }
}
