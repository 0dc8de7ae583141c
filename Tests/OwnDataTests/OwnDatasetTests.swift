import AtomicIO
import Datasets
import Deflate
import Foundation
import OwnData
import TestSupport
import XCTest

/// `--data` with one's own images: sets that NumPy and Pillow wrote (Tests/OwnDataTests/Fixtures,
/// made by scripts/make_own_data_fixtures.py from MNIST's first digits) read back as the digits
/// they were made from, and every bad input is one `FileError` naming the file.
final class OwnDatasetTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        .path

    /// Keras' layout, written by numpy.savez_compressed: the same bytes as MNIST's own files.
    func testAKerasNPZReadsAsTheDigitsItHolds() throws {
        try requireMNIST()
        let own = try OwnDataset.load(path: Self.fixtures + "/keras.npz")
        let mnist = try Dataset.load(directory: mnistDirectory)
        XCTAssertEqual(own.format, .npz)
        XCTAssertEqual(own.data.classes.names, (0..<10).map(String.init))
        XCTAssertEqual(own.dataset.train.images, mnist.train.prefix(200).images)
        XCTAssertEqual(own.dataset.train.labels, mnist.train.prefix(200).labels)
        XCTAssertEqual(own.dataset.test.images, mnist.test.prefix(50).images)
        XCTAssertEqual(own.dataset.test.labels, mnist.test.prefix(50).labels)
        XCTAssertFalse(own.summary.contains("inverted"), own.summary)
    }

    /// One .npy per class (Quick, Draw!'s layout): named by the files, a seventh of each held out.
    func testANPYFolderIsOneClassPerFileWithATestSplitHeldOut() throws {
        let own = try OwnDataset.load(path: Self.fixtures + "/npy3", seed: 4)
        XCTAssertEqual(own.format, .npyFolder)
        XCTAssertEqual(own.data.classes.names, ["one", "seven", "zero"])
        XCTAssertEqual(own.dataset.train.count + own.dataset.test.count, 60)
        XCTAssertEqual((0..<3).map { own.dataset.test.indices(ofLabel: $0).count }, [3, 3, 3], "20 / 7, rounded")
        XCTAssertTrue(own.summary.contains("9 held out as the test split (seed 4)"), own.summary)
        let again = try OwnDataset.load(path: Self.fixtures + "/npy3", seed: 4)
        XCTAssertEqual(again.dataset.test.images, own.dataset.test.images, "the same seed holds out the same images")
        XCTAssertNotEqual(
            try OwnDataset.load(path: Self.fixtures + "/npy3", seed: 5).dataset.test.images, own.dataset.test.images)
    }

    /// PNG folders written by Pillow, dark on light and 40x40, at MNIST's side (`--side 28`):
    /// inverted, fitted into 28x28 as MNIST's digits were, and close to the MNIST digits they were
    /// drawn from.
    func testAPNGTreeIsInvertedFittedAndNamedByItsFolders() throws {
        try requireMNIST()
        let own = try OwnDataset.load(path: Self.fixtures + "/png10", shape: ImageShapeChoice(side: 28))
        XCTAssertEqual(own.format, .pngTree)
        XCTAssertEqual(
            own.data.classes.names, ["eight", "five", "four", "nine", "one", "seven", "six", "three", "two", "zero"])
        XCTAssertEqual([own.dataset.train.count, own.dataset.test.count], [40, 20])
        XCTAssertTrue(
            own.summary.contains("inverted (dark on light)") && own.summary.contains("60 fitted"), own.summary)
        // The first training image of "seven" came from MNIST's first training 7.
        let mnist = try Dataset.load(directory: mnistDirectory).train
        let original = Array(mnist.image(mnist.indices(ofLabel: 7)[0]))
        let seven = own.data.classes.names.firstIndex(of: "seven")!
        let read = Array(own.dataset.train.image(own.dataset.train.indices(ofLabel: seven)[0]))
        XCTAssertGreaterThan(correlation(original, read), 0.8, "fitted back near the digit it was drawn from")
        XCTAssertEqual(
            try OwnDataset.load(path: Self.fixtures + "/png10", inversion: .no, shape: ImageShapeChoice(side: 28))
                .summary.contains("inverted"), false)
    }

    func correlation(_ a: [Float], _ b: [Float]) -> Float {
        let ma = a.reduce(0, +) / Float(a.count), mb = b.reduce(0, +) / Float(b.count)
        var ab: Float = 0, aa: Float = 0, bb: Float = 0
        for (x, y) in zip(a, b) { ab += (x - ma) * (y - mb); aa += (x - ma) * (x - ma); bb += (y - mb) * (y - mb) }
        return ab / (aa * bb).squareRoot()
    }

    /// Each bad input of a folder tree or an array file: one line naming the file, nothing read.
    func testBadInputIsOneLineNamingTheFile() throws {
        let dir = try tempDir("own-bad")
        let fm = FileManager.default
        func tree(_ name: String, classes: [String: [String: Data]]) throws -> String {
            let root = dir + "/" + name
            for (c, files) in classes {
                try fm.createDirectory(atPath: root + "/" + c, withIntermediateDirectories: true)
                for (f, data) in files { try data.write(to: URL(fileURLWithPath: root + "/" + c + "/" + f)) }
            }
            return root
        }
        let png = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/png10/train/one/0.png"))
        let good = ["0.png": png]
        var cases: [(String, String, String)] = [
            (try tree("corrupt", classes: ["a": ["bad.png": png.prefix(40)], "b": good]), "bad.png", "damaged PNG"),
            (try tree("text", classes: ["a": ["notes.txt": Data("hi".utf8)], "b": good]), "notes.txt", "not a PNG"),
            (try tree("emptyclass", classes: ["a": [:], "b": good]), "emptyclass/a", "holds no images"),
            (try tree("single", classes: ["a": good]), "single", "holds 1 classes"),
            (try tree("lonely", classes: ["a": good, "b": good]), "lonely", "leaves no image for the test split"),
            (
                try tree("many", classes: Dictionary(uniqueKeysWithValues: (0..<65).map { ("c\($0)", good) })), "many",
                "holds 65 classes"
            )
        ]
        let outside = try tree("outside", classes: ["b": good])
        try fm.createSymbolicLink(atPath: outside + "/a", withDestinationPath: Self.fixtures + "/png10/train/one")
        cases.append((outside, "outside/a", "leads outside"))
        func npz(_ name: String, _ arrays: [String: [UInt8]]) throws -> String {
            let path = dir + "/" + name + ".npz"
            try ZipWriter.write(arrays, to: path)
            return path
        }
        func npy(_ descr: String, _ shape: [Int], _ data: [UInt8]) -> [UInt8] {
            let header =
                "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", ")),), }"
            let text = Array(header.utf8)
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text + data
        }
        let x2 = npy("|u1", [2, 784], [UInt8](repeating: 0, count: 2 * 784))
        cases += [
            (try npz("nokeys", ["images.npy": x2]), "nokeys.npz", "no x_train and y_train"),
            (
                try npz(
                    "floatlabels", ["x_train.npy": x2, "y_train.npy": npy("<f4", [2], [UInt8](repeating: 0, count: 8))]),
                "floatlabels.npz", "labels must be integers"
            ),
            (
                try npz("range", ["x_train.npy": x2, "y_train.npy": npy("|u1", [2], [1, 200])]), "range.npz",
                "outside 0-63"
            ),
            (
                try npz("lengths", ["x_train.npy": x2, "y_train.npy": npy("|u1", [3], [1, 2, 3])]), "lengths.npz",
                "holds 2 images but y_train 3 labels"
            )
        ]
        try fm.createDirectory(atPath: dir + "/rows", withIntermediateDirectories: true)
        for name in ["a", "b"] {
            try Data(npy("|u1", [2, 100], [UInt8](repeating: 0, count: 200))).write(
                to: URL(fileURLWithPath: dir + "/rows/\(name).npy"))
        }
        cases.append((dir + "/rows", "rows/a.npy", "has shape [2, 100]"))
        for (path, names, says) in cases {
            XCTAssertThrowsError(try OwnDataset.load(path: path), path) { error in
                let e = error as? FileError
                XCTAssertNotNil(e, "\(error)")
                XCTAssertTrue("\(error)".contains(names), "'\(error)' should name \(names)")
                XCTAssertTrue("\(error)".contains(says), "'\(error)' should say \(says)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
    }
}

/// A zip archive of stored members, as a test writes a `.npz` without NumPy.
enum ZipWriter {
    static func write(_ members: [String: [UInt8]], to path: String) throws {
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { u16(v & 0xFFFF) + u16(v >> 16 & 0xFFFF) }
        var out: [UInt8] = [], directory: [UInt8] = []
        for (name, data) in members.sorted(by: { $0.key < $1.key }) {
            let crc = Int(Zlib.crc32(data)), n = Array(name.utf8), offset = out.count
            let common =
                u16(20) + u16(0) + u16(0) + u16(0) + u16(0) + u32(crc) + u32(data.count) + u32(data.count)
                + u16(n.count) + u16(0)
            out += u32(0x0403_4B50) + common + n + data
            directory += u32(0x0201_4B50) + u16(20) + common + u16(0) + u16(0) + u16(0) + u32(0) + u32(offset) + n
        }
        let start = out.count
        out +=
            directory + u32(0x0605_4B50) + u16(0) + u16(0) + u16(members.count) + u16(members.count)
            + u32(directory.count) + u32(start) + u16(0)
        try Data(out).write(to: URL(fileURLWithPath: path))
    }
}
