import Datasets
import XCTest

/// The grey map against matplotlib's own 'Greys', computed apart: `colormaps['Greys'](i / 255)`
/// of matplotlib 3.11.2 (its 256-entry table), times 255, rounded.
final class GreyMapTests: XCTestCase {
    /// matplotlib's table at ink bytes 0, 17, ..., 255.
    let matplotlibEvery17: [UInt8] = [255, 247, 238, 226, 213, 198, 181, 160, 141, 122, 104, 86, 64, 40, 20, 0]

    func testTheTableIsMatplotlibsGreys() {
        let table = GreyMap.greys.table
        XCTAssertEqual(table.count, 256)
        XCTAssertEqual(stride(from: 0, through: 255, by: 17).map { table[$0] }, matplotlibEvery17)
        // matplotlib's values as floats, at ink 64/255, 128/255 and 191/255.
        XCTAssertEqual(GreyMap.greys.luminance(ink: 64.0 / 255), 0.850119, accuracy: 1e-6)
        XCTAssertEqual(GreyMap.greys.luminance(ink: 128.0 / 255), 0.586082, accuracy: 1e-6)
        XCTAssertEqual(GreyMap.greys.luminance(ink: 191.0 / 255), 0.322584, accuracy: 1e-6)
    }

    func testGreysIsLighterThanARampInTheLightGreys() {
        // What makes a soft edge show fainter: ink 0.25 at 0.85, where a ramp shows 0.75.
        XCTAssertEqual(GreyMap.greys.luminance(ink: 0.25), 217.0 / 255, accuracy: 1e-12)
        XCTAssertEqual(GreyMap.linear.luminance(ink: 0.25), 0.75, accuracy: 1e-12)
        XCTAssertEqual(GreyMap.linear.table, (0...255).map { 255 - UInt8($0) })
    }

    func testInkTakesTheMapBackOff() {
        for map in GreyMap.allCases {
            for i in 0...100 {
                let ink = Double(i) / 100
                XCTAssertEqual(map.ink(luminance: map.luminance(ink: ink)), ink, accuracy: 1e-12, "\(map) at \(ink)")
            }
            // Out of range clamps to the ends.
            XCTAssertEqual(map.ink(luminance: 1.5), 0)
            XCTAssertEqual(map.ink(luminance: -0.5), 1)
        }
        // Each stop's luminance reads back as its ink.
        for (k, stop) in GreyMap.greysStops.enumerated() {
            XCTAssertEqual(GreyMap.greys.ink(luminance: Double(stop) / 255), Double(k) / 8, accuracy: 1e-12)
        }
    }
}
