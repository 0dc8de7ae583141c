import Datasets
import Foundation
import TestSupport
import XCTest

/// IDX files written by the test: valid ones, and every way they can be wrong.
final class IDXTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = try tempDir("idx")
    }

    func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 255), UInt8((v >> 8) & 255), UInt8(v & 255)]
    }
    func images(_ n: Int, magic: UInt32 = 0x803) -> [UInt8] {
        be32(magic) + be32(UInt32(n)) + be32(28) + be32(28) + (0..<(n * 784)).map { UInt8($0 % 256) }
    }
    func labels(_ values: [UInt8], magic: UInt32 = 0x801) -> [UInt8] {
        be32(magic) + be32(UInt32(values.count)) + values
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8], gzip: Bool = false) throws -> String {
        let path = dir + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if gzip {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/gzip")
            p.arguments = ["-f", path]
            try p.run(); p.waitUntilExit()
            return path + ".gz"
        }
        return path
    }

    func writeValidSet(gzip: Bool = false) throws {
        try write("train-images-idx3-ubyte", images(3), gzip: gzip)
        try write("train-labels-idx1-ubyte", labels([0, 9, 4]), gzip: gzip)
        try write("t10k-images-idx3-ubyte", images(2), gzip: gzip)
        try write("t10k-labels-idx1-ubyte", labels([7, 1]), gzip: gzip)
    }

    func testLoadsPlainAndGzippedFilesScaledBy255() throws {
        for gz in [false, true] {
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try writeValidSet(gzip: gz)
            let d = try Dataset.load(directory: dir)
            XCTAssertEqual(d.train.count, 3)
            XCTAssertEqual(d.test.labels, [7, 1])
            XCTAssertEqual(d.train.images[255], 1)
            XCTAssertEqual(d.train.images[51], 51 / 255, accuracy: 1e-7)
        }
    }

    /// A grey set's checksum is the one kept runs recorded before sides and colour (computed by
    /// Python's zlib over count, pixel bytes and labels); a colour set of another side is kept as
    /// IDX files with a fourth dimension, reads back as it was, and has a checksum of its own.
    func testAColourSetIsKeptWithItsChannelsAndAGreySetsChecksumHolds() throws {
        let grey = Dataset(
            train: DigitSet(images: (0..<(2 * 784)).map { DigitSet.pixel(UInt8($0 % 256)) }, labels: [0, 3]),
            test: DigitSet(images: (0..<784).map { DigitSet.pixel(UInt8(255 - $0 % 256)) }, labels: [1]))
        XCTAssertEqual(grey.checksum, "crc32:5ff039e3")
        let values = { (n: Int, shift: Int) in (0..<n).map { DigitSet.pixel(UInt8(($0 * 7 + shift) % 256)) } }
        let colour = Dataset(
            train: DigitSet(images: values(3 * 32 * 32 * 3, 1), labels: [0, 1, 2], rows: 32, columns: 32, channels: 3),
            test: DigitSet(images: values(32 * 32 * 3, 5), labels: [2], rows: 32, columns: 32, channels: 3))
        let kept = dir + "/kept"
        try colour.writeIDX(to: kept)
        let read = try Dataset.load(directory: kept)
        XCTAssertEqual([read.train.rows, read.train.columns, read.train.channels], [32, 32, 3])
        XCTAssertEqual(read.train.images, colour.train.images)
        XCTAssertEqual(read.test.images, colour.test.images)
        XCTAssertEqual(read.checksum, colour.checksum)
        let flat = Dataset(
            train: DigitSet(images: colour.train.images, labels: [0, 1, 2], rows: 32, columns: 96, channels: 1),
            test: DigitSet(images: colour.test.images, labels: [2], rows: 32, columns: 96, channels: 1))
        XCTAssertNotEqual(flat.checksum, colour.checksum, "the same bytes in another shape are another set")
        // A test split of another shape than the training images is refused, naming its file.
        try grey.writeIDX(to: dir + "/mixed")
        try FileManager.default.removeItem(atPath: dir + "/mixed/t10k-images-idx3-ubyte")
        try FileManager.default.copyItem(
            atPath: kept + "/t10k-images-idx3-ubyte", toPath: dir + "/mixed/t10k-images-idx3-ubyte")
        try FileManager.default.removeItem(atPath: dir + "/mixed/t10k-labels-idx1-ubyte")
        try FileManager.default.copyItem(
            atPath: kept + "/t10k-labels-idx1-ubyte", toPath: dir + "/mixed/t10k-labels-idx1-ubyte")
        XCTAssertThrowsError(try Dataset.load(directory: dir + "/mixed")) {
            XCTAssertTrue(
                "\($0)".contains(
                    "t10k-images-idx3-ubyte: holds 32x32 colour images, but the training images are 28x28 grey"),
                "\($0)")
        }
    }

    /// Each broken file gives an error naming that file and saying what is wrong.
    func testBrokenFilesAreNamedWithTheProblem() throws {
        let cases: [(String, [UInt8], Bool, String)] = [
            ("train-images-idx3-ubyte", images(3, magic: 0x801), false, "bad magic number"),
            ("train-images-idx3-ubyte", Array(images(3).dropLast(100)), false, "truncated"),
            ("train-images-idx3-ubyte", images(3) + [1, 2, 3], false, "but the file has"),
            ("train-images-idx3-ubyte", [0, 0, 8], false, "too short"),
            ("train-images-idx3-ubyte", [], false, "too short"),
            (
                "train-images-idx3-ubyte", be32(0x803) + be32(0xFFFF_FFFF) + be32(0xFFFF_FFFF) + be32(0xFFFF_FFFF),
                false, "overflow"
            ),
            ("train-images-idx3-ubyte", be32(0x803) + be32(1_000_000) + be32(28) + be32(28), false, "bytes"),
            ("train-labels-idx1-ubyte", labels([0, 64, 4]), false, "outside 0..63"),
            ("train-labels-idx1-ubyte", labels([0, 1]), false, "2 labels but"),
            ("train-labels-idx1-ubyte", images(3), false, "is this the image file?")
        ]
        for (name, bytes, gz, expected) in cases {
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try writeValidSet()
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
            let path = try write(name, bytes, gzip: gz)
            XCTAssertThrowsError(try Dataset.load(directory: dir), "\(name) \(expected)") { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains(expected), "\(message) should say \(expected)")
                XCTAssertTrue(message.contains(name), "\(message) should name \(path)")
            }
        }
    }

    func testTruncatedAndCorruptGzip() throws {
        try writeValidSet(gzip: true)
        let path = dir + "/train-images-idx3-ubyte.gz"
        let full = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        try Data(full.prefix(full.count / 2)).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Dataset.load(directory: dir)) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
        var corrupt = full
        for i in 20..<60 { corrupt[i] ^= 0x5A }
        try Data(corrupt).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Dataset.load(directory: dir)) {
            XCTAssertTrue("\($0)".contains("train-images"), "\($0)")
        }
    }

    func testMissingDirectoryAndFile() throws {
        XCTAssertThrowsError(try Dataset.load(directory: dir + "/nope")) {
            XCTAssertTrue("\($0)".contains("no such directory"))
        }
        try writeValidSet()
        try FileManager.default.removeItem(atPath: dir + "/t10k-labels-idx1-ubyte")
        XCTAssertThrowsError(try Dataset.load(directory: dir)) {
            XCTAssertTrue("\($0)".contains("t10k-labels-idx1-ubyte"))
        }
    }

    func testBatchIteratorDropsTheRestAndReshufflesEachEpoch() {
        var it = BatchIterator(exampleCount: 10, batchSize: 3)
        XCTAssertEqual(it.batchesPerEpoch, 3)
        var calls = 0
        var seen: [Int] = []
        for _ in 0..<3 {
            seen += it.next(shuffle: {
                calls += 1; return Array((0..<$0).reversed())
            })
        }
        XCTAssertEqual(seen, [9, 8, 7, 6, 5, 4, 3, 2, 1])
        XCTAssertEqual(calls, 1)
        _ = it.next(shuffle: {
            calls += 1; return Array(0..<$0)
        })
        XCTAssertEqual(calls, 2)
        XCTAssertEqual(it.epoch, 1)
    }

    /// The real dataset, where set-up put it (skipped if set-up has not run, failed under scripts/test.sh).
    func testRealMNISTIfPresent() throws {
        try requireMNIST()
        let d = try Dataset.load(directory: mnistDirectory)
        XCTAssertEqual(d.train.count, 60_000)
        XCTAssertEqual(d.test.count, 10_000)
        XCTAssertEqual(Array(d.train.labels.prefix(5)), [5, 0, 4, 1, 9])
        XCTAssertEqual(BatchIterator(exampleCount: d.train.count, batchSize: 64).batchesPerEpoch, 937)
    }
}

final class FashionMNISTTests: XCTestCase {
    /// Fashion-MNIST (Debian's dataset-fashion-mnist, installed by set-up) through the same reader.
    func testFashionMNISTLoadsThroughTheSameReader() throws {
        let dir = DatasetKind.fashionMNIST.defaultDirectory
        try requireTool(
            FileManager.default.fileExists(atPath: dir),
            "dataset-fashion-mnist is not installed (scripts/setup.sh installs it)")
        let d = try Dataset.load(directory: dir)
        XCTAssertEqual(d.train.count, 60_000)
        XCTAssertEqual(d.test.count, 10_000)
        XCTAssertEqual(Set(d.train.labels), Set(0...9))
        XCTAssertEqual(d.train.rows, 28)
    }
}
