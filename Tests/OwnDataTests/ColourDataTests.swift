import Datasets
import Foundation
import OwnData
import TestSupport
import XCTest

/// Colour sets and other sides (Tests/OwnDataTests/Fixtures/colour, made by
/// scripts/make_colour_fixtures.py from MNIST's first digits, each tinted in one hue on black): the
/// reader keeps the colour and picks a side that holds the images, and each answer is checked
/// against MNIST's own pixels.
final class ColourDataTests: XCTestCase {
    static let fixtures = OwnDatasetTests.fixtures + "/colour"

    /// A tinted digit's brightest channel is the digit's grey (its hue fully saturated, at the
    /// digit's value), whichever way round the array holds its channels.
    func testATintedNPZKeepsItsColourInEitherChannelOrder() throws {
        try requireMNIST()
        let mnist = try Dataset.load(directory: mnistDirectory)
        let own = try OwnDataset.load(path: Self.fixtures + "/tinted.npz")
        XCTAssertEqual([own.data.side, own.data.channels], [28, 3])
        XCTAssertEqual([own.dataset.train.channels, own.dataset.train.rows], [3, 28])
        XCTAssertTrue(own.summary.contains("80 images of 10 classes, 28x28 colour"), own.summary)
        XCTAssertFalse(own.summary.contains("fitted") || own.summary.contains("inverted"), own.summary)
        for i in [0, 7, 59] {
            let rgb = Array(own.dataset.train.image(i)), grey = Array(mnist.train.image(i))
            for p in 0..<784 {
                let brightest = max(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2])
                XCTAssertEqual(brightest, grey[p], accuracy: 0.5 / 255, "image \(i) pixel \(p)")
            }
            let distinct = Set(stride(from: 0, to: 784 * 3, by: 1).map { rgb[$0] > 0.5 ? $0 % 3 : -1 })
            XCTAssertLessThan(distinct.count, 4, "one hue: not every channel is lit the same way")
        }
        let channelsFirst = try OwnDataset.load(path: Self.fixtures + "/tinted-nchw.npz")
        XCTAssertEqual(channelsFirst.data, own.data)
        for (a, b) in zip(channelsFirst.dataset.test.images, own.dataset.test.images) {
            XCTAssertEqual(a, b, accuracy: 1e-6)
        }
    }

    /// `--colour no` makes the same set grey, by the luminance every reader used before colour.
    func testColourNoMakesTheSetGrey() throws {
        let grey = try OwnDataset.load(path: Self.fixtures + "/tinted.npz", shape: ImageShapeChoice(colour: false))
        let colour = try OwnDataset.load(path: Self.fixtures + "/tinted.npz")
        XCTAssertEqual([grey.data.side, grey.data.channels], [28, 1])
        XCTAssertTrue(grey.summary.contains("80 colour images made grey"), grey.summary)
        let rgb = Array(colour.dataset.train.image(3)), lum = Array(grey.dataset.train.image(3))
        for p in 0..<784 {
            let expected = 0.2126 * rgb[3 * p] + 0.7152 * rgb[3 * p + 1] + 0.0722 * rgb[3 * p + 2]
            XCTAssertEqual(lum[p], expected, accuracy: 0.5 / 255)
        }
    }

    /// A tree of every PNG colour type, 32x32: colour at 32 (the images are larger than 28); the
    /// grey files (8 and 16 bits) become colour with the same value in each channel; the
    /// transparent one, light ink on nothing, is laid on black; the palette one keeps a hue.
    func testAMixedPNGTreeIsColourAtThirtyTwo() throws {
        try requireMNIST()
        let own = try OwnDataset.load(path: Self.fixtures + "/png32")
        XCTAssertEqual([own.data.side, own.data.channels], [32, 3])
        XCTAssertEqual(own.data.classes.names, ["one", "seven", "zero"])
        XCTAssertTrue(own.summary.contains("18 images of 3 classes, 32x32 colour"), own.summary)
        XCTAssertTrue(own.summary.contains("6 grey images among the colour ones"), own.summary)
        XCTAssertFalse(own.summary.contains("fitted"), own.summary)
        // Every image of the set, as read: split apart by label and file order is not kept, so
        // find the 16-bit grey one of "one" by its content: MNIST's first 1, padded by 2.
        let mnist = try Dataset.load(directory: mnistDirectory).train
        let one = Array(mnist.image(mnist.indices(ofLabel: 1)[3]))
        var padded = [Float](repeating: 0, count: 32 * 32)
        for y in 0..<28 { for x in 0..<28 { padded[(y + 2) * 32 + x + 2] = one[y * 28 + x] } }
        let all =
            (0..<own.dataset.train.count).map { Array(own.dataset.train.image($0)) }
            + (0..<own.dataset.test.count).map { Array(own.dataset.test.image($0)) }
        let found = all.first { image in
            (0..<1024).allSatisfy { p in
                (0..<3).allSatisfy { abs(image[3 * p + $0] - padded[p]) <= 0.5 / 255 }
            }
        }
        XCTAssertNotNil(found, "the 16-bit grey 1 reads as its 8-bit values, in all three channels")
        for image in all {
            XCTAssertEqual(image[0] + image[1] + image[2], 0, "every corner is black: transparency laid on black")
        }
    }

    /// 48x40 images are larger than 32: fitted into 64 without distortion, 64x53 centred, the
    /// rows above and below filled with the border's colour (black).
    func testLargerImagesAreFittedIntoSixtyFourWithoutDistortion() throws {
        let own = try OwnDataset.load(path: Self.fixtures + "/png48x40")
        XCTAssertEqual([own.data.side, own.data.channels], [64, 3])
        XCTAssertTrue(own.summary.contains("64x64 colour") && own.summary.contains("18 fitted into 64x64"), own.summary)
        let image = Array(own.dataset.train.image(0))
        let rowInk = (0..<64).map { y in (0..<(64 * 3)).map { image[y * 64 * 3 + $0] }.max()! }
        // 40 * 64/48 = 53.3 -> 53 rows, from (64 - 53) / 2 = 5.
        XCTAssertEqual(rowInk[0..<5].max()!, 0, "the band above is the border's black")
        XCTAssertEqual(rowInk[58..<64].max()!, 0, "the band below is the border's black")
        let smaller = try OwnDataset.load(path: Self.fixtures + "/png48x40", shape: ImageShapeChoice(side: 32))
        XCTAssertEqual(smaller.data.side, 32)
        XCTAssertTrue(smaller.summary.contains("18 fitted into 32x32"), smaller.summary)
    }

    /// The side `auto` picks: 28 where every image is 28x28 or smaller, else 32 or 64 by the
    /// typical (median) image's longer side.
    func testTheAutomaticSide() {
        let auto = { (sizes: [(Int, Int)]) in ImageShapeChoice.autoSide(sizes.map { (width: $0.0, height: $0.1) }) }
        XCTAssertEqual(auto([(28, 28), (20, 12)]), 28)
        XCTAssertEqual(auto([(28, 28), (29, 28)]), 32, "one larger image is enough to leave MNIST's side")
        XCTAssertEqual(auto([(32, 32), (30, 24), (200, 200)]), 32, "the median, not the largest")
        XCTAssertEqual(auto([(33, 20), (48, 40), (20, 20)]), 64)
        XCTAssertEqual(auto([(500, 300)]), 64, "larger is shrunk to 64")
        XCTAssertNil(ImageShapeChoice.sideProblem(20))
        XCTAssertEqual(ImageShapeChoice.sideProblem(30), "must be a multiple of 4 from 16 to 64, got 30")
        XCTAssertNotNil(ImageShapeChoice.sideProblem(68))
        XCTAssertNotNil(ImageShapeChoice.sideProblem(12))
    }

    /// A resumed run keeps its shape: another --side or --colour is one phrase naming the flag.
    func testAResumeKeepsItsSideAndColour() {
        let grey28 = DataDescription(names: ["a", "b"])
        XCTAssertNil(ImageShapeChoice.auto.resumeProblem(grey28))
        XCTAssertNil(ImageShapeChoice(side: 28, colour: false).resumeProblem(grey28))
        XCTAssertEqual(
            ImageShapeChoice(side: 32).resumeProblem(grey28),
            "--side 32: the run was made for 28x28 images; a resumed run keeps its side")
        XCTAssertEqual(
            ImageShapeChoice(colour: true).resumeProblem(grey28),
            "--colour yes: the run was made for grey images; a resumed run keeps its colour")
    }
}
