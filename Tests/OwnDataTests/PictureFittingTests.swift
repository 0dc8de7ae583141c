import Datasets
import Foundation
import OwnData
import TestSupport
import XCTest

/// What a set decides once about fitting every picture (`OwnDataset.fitting`, kept in config.json
/// for the pages): whether it was inverted, and the background it laid its transparent pictures
/// on where it chose one; and `ImageFile.fitted` with that value makes a picture what the set made
/// of it.
final class PictureFittingTests: XCTestCase {
    static let fixtures = OwnDatasetTests.fixtures

    /// Dark on light (png10, Pillow's) is inverted by `auto` and by `yes`, not by `no`; light on
    /// dark (npy3, Quick, Draw!'s) is not. Neither has transparency: no background of the set's.
    func testADarkOnLightSetRecordsInvertedAndALightOnDarkOneDoesNot() throws {
        let png10 = Self.fixtures + "/png10", side32 = ImageShapeChoice(side: 32)
        let dark = try OwnDataset.load(path: png10, shape: side32)
        XCTAssertEqual(dark.fitting, PictureFitting(inverted: true, background: nil), dark.summary)
        XCTAssertEqual(dark.quantised().fitting, dark.fitting, "kept as the set is kept")
        XCTAssertEqual(try OwnDataset.load(path: png10, inversion: .no, shape: side32).fitting.inverted, false)
        XCTAssertEqual(try OwnDataset.load(path: Self.fixtures + "/npy3").fitting, PictureFitting(inverted: false))
        XCTAssertEqual(try OwnDataset.load(path: Self.fixtures + "/npy3", inversion: .yes).fitting.inverted, true)

        // The set's first test picture (test/eight/0.png, 40x40) as the set made it, and as
        // ImageFile.fitted makes it with the set's fitting (what the pages' fitPicture computes).
        XCTAssertEqual(dark.data.classes.names.first, "eight")
        let path = png10 + "/test/eight/0.png"
        let made = Array(dark.dataset.test.image(0))
        let fitted = try ImageFile.fitted(path: path, side: 32, channels: 1, fitting: dark.fitting)
        XCTAssertEqual(zip(made, fitted).map { abs($0 - $1) }.max() ?? 1, 0, accuracy: 1e-6)
        let unturned = try ImageFile.fitted(path: path, side: 32, channels: 1)
        XCTAssertGreaterThan(zip(made, unturned).map { abs($0 - $1) }.max() ?? 0, 0.5, "not inverted: another image")
    }

    /// A set with opaque and transparent pictures lays the transparent ones on the background its
    /// opaque ones show, and records it; a set of transparent pictures only records none.
    func testATransparentSetRecordsItsBackground() throws {
        let dir = try tempDir("own-fitting")
        let inBar = { (x: Int, y: Int) in (8..<14).contains(x % 28) && (4..<24).contains(y) }
        /// Classes a and b, each of four pictures: the first `transparent` of them light ink (or
        /// dark) on nothing, the rest opaque, ink on `paper`.
        func tree(_ name: String, transparent: Int, ink: UInt8, paper: UInt8) throws -> String {
            let root = dir + "/" + name
            for (c, shift) in [("a", 0), ("b", 6)] {
                try FileManager.default.createDirectory(atPath: root + "/" + c, withIntermediateDirectories: true)
                for k in 0..<4 {
                    try PNGWriter.rgba(width: 28, height: 28) { x, y in
                        let bar = inBar(x + shift + k, y)
                        if k < transparent { return bar ? [ink, ink, ink, 255] : [ink, ink, ink, 0] }
                        return bar ? [ink, ink, ink, 255] : [paper, paper, paper, 255]
                    }
                    .write(to: URL(fileURLWithPath: "\(root)/\(c)/\(k).png"))
                }
            }
            return root
        }
        let onPaper = try OwnDataset.load(path: try tree("on-paper", transparent: 1, ink: 0, paper: 255))
        XCTAssertEqual(onPaper.fitting, PictureFitting(inverted: true, background: .white), onPaper.summary)
        let onBlack = try OwnDataset.load(path: try tree("on-black", transparent: 1, ink: 255, paper: 0))
        XCTAssertEqual(onBlack.fitting, PictureFitting(inverted: false, background: .black), onBlack.summary)
        let only = try OwnDataset.load(path: try tree("only", transparent: 4, ink: 255, paper: 0))
        XCTAssertEqual(only.fitting, PictureFitting(inverted: false, background: nil), only.summary)
        let opaque = try OwnDataset.load(path: try tree("opaque", transparent: 0, ink: 255, paper: 0))
        XCTAssertNil(opaque.fitting.background, "no transparent picture: nothing for the set to decide")
    }
}
