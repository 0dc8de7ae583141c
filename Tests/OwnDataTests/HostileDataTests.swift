import AtomicIO
import Datasets
import Deflate
import Foundation
import OwnData
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// What a careful but hostile user puts in a data folder (issue 56): folders inside a class,
/// FIFOs among the images, hidden files, light ink on a transparent background, floats outside
/// their range, a test split with a class the training split lacks. Each is read by one rule or
/// refused in one line naming the file; none crashes, hangs or is read wrong without a word.
final class HostileDataTests: XCTestCase {
    static let fixtures = OwnDatasetTests.fixtures
    static var png: Data { FileManager.default.contents(atPath: fixtures + "/png10/train/one/0.png") ?? Data() }

    /// `n` digits of 28x28 bytes, each a bar of ink on black.
    static func bars(_ n: Int) -> [UInt8] {
        (0..<(n * 784)).map { i in
            let p = i % 784
            return (6..<22).contains(p / 28) && (10 + i / 784 % 4..<16 + i / 784 % 4).contains(p % 28) ? 255 : 0
        }
    }

    /// A NumPy .npy of `descr` (its dtype) and `shape` holding `data`.
    static func npy(_ descr: String, _ shape: [Int], _ data: [UInt8]) -> [UInt8] {
        let header =
            "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", ")),), }"
        let text = Array(header.utf8)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text + data
    }

    /// `base/`: two classes a and b of five PNGs each.
    func base(_ dir: String, _ name: String) throws -> String {
        let root = dir + "/" + name
        for c in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: root + "/" + c, withIntermediateDirectories: true)
            for k in 0..<5 { try Self.png.write(to: URL(fileURLWithPath: "\(root)/\(c)/\(k).png")) }
        }
        return root
    }

    func assertRefused(
        _ path: String, naming names: String, says: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try OwnDataset.load(path: path), path, file: file, line: line) { error in
            XCTAssertNotNil(error as? FileError, "\(error)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(names), "'\(error)' should name \(names)", file: file, line: line)
            XCTAssertTrue("\(error)".contains(says), "'\(error)' should say \(says)", file: file, line: line)
            XCTAssertFalse("\(error)".contains("\n"), file: file, line: line)
        }
    }

    /// A folder inside a class folder, empty or holding PNGs, is refused by name (it crashed the
    /// program: a folder read as a file).
    func testAFolderInsideAClassIsRefusedByName() throws {
        let dir = try tempDir("own-sub")
        let empty = try base(dir, "empty")
        try FileManager.default.createDirectory(atPath: empty + "/a/sub", withIntermediateDirectories: true)
        assertRefused(empty, naming: "empty/a/sub", says: "is a folder inside a class folder")
        let full = try base(dir, "full")
        try FileManager.default.createDirectory(atPath: full + "/b/sub", withIntermediateDirectories: true)
        try Self.png.write(to: URL(fileURLWithPath: full + "/b/sub/0.png"))
        assertRefused(full, naming: "full/b/sub", says: "is a folder inside a class folder")
        // A hidden one is skipped, as hidden files are.
        let hidden = try base(dir, "hidden")
        try FileManager.default.createDirectory(atPath: hidden + "/a/.thumbs", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: hidden + "/a/.DS_Store"))
        XCTAssertEqual(try OwnDataset.load(path: hidden).data.classes.names, ["a", "b"])
    }

    /// A FIFO (or a socket) among the images is refused by name without being opened: it hung
    /// the program, waiting for a writer. A watchdog fails the test instead of hanging it.
    func testAFIFOAmongTheImagesIsRefusedWithoutOpeningIt() throws {
        let dir = try tempDir("own-fifo")
        let tree = try base(dir, "tree")
        XCTAssertEqual(mkfifo(tree + "/a/pipe.png", 0o644), 0)
        let npy = dir + "/npy"
        try FileManager.default.createDirectory(atPath: npy, withIntermediateDirectories: true)
        try Data(Self.npy("|u1", [3, 784], Self.bars(3))).write(
            to: URL(fileURLWithPath: npy + "/a.npy"))
        XCTAssertEqual(mkfifo(npy + "/b.npy", 0o644), 0)
        XCTAssertEqual(mkfifo(dir + "/set.npz", 0o644), 0)
        for (path, fifo) in [(tree, tree + "/a/pipe.png"), (npy, npy + "/b.npy"), (dir + "/set.npz", dir + "/set.npz")]
        {
            let outcome = Outcome()
            Thread {
                do { _ = try OwnDataset.load(path: path) } catch { outcome.set("\(error)") }
                outcome.set(outcome.value ?? "loaded")
            }.start()
            let deadline = Date().addingTimeInterval(20)
            while outcome.value == nil && Date() < deadline { usleep(10_000) }
            guard let said = outcome.value else {
                XCTFail("\(path): reading hangs on the FIFO")
                let fd = open(fifo, O_RDWR | O_NONBLOCK)  // let the blocked reader go
                close(fd)
                continue
            }
            XCTAssertTrue(said.contains(fifo + ": is a FIFO (named pipe), not a file"), said)
            XCTAssertFalse(said.contains("\n"), said)
        }
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var said: String?
        var value: String? { lock.withLock { said } }
        func set(_ s: String) { lock.withLock { if said == nil { said = s } } }
    }

    /// Hidden entries are skipped in every format: a `..npy` or `.x.npy` in a folder of .npy
    /// files is not a class (it became one).
    func testHiddenEntriesAreSkippedInEveryFormat() throws {
        let dir = try tempDir("own-hidden")
        let npy = dir + "/npy"
        try FileManager.default.createDirectory(atPath: npy, withIntermediateDirectories: true)
        for name in ["a.npy", "b.npy", "..npy", ".c.npy"] {
            try Data(Self.npy("|u1", [3, 784], Self.bars(3))).write(
                to: URL(fileURLWithPath: npy + "/" + name))
        }
        XCTAssertEqual(try OwnDataset.load(path: npy).data.classes.names, ["a", "b"])
        // A folder holding only hidden .npy files is no folder of .npy files.
        let only = dir + "/only"
        try FileManager.default.createDirectory(atPath: only + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: only + "/b", withIntermediateDirectories: true)
        for c in ["a", "b"] {
            for k in 0..<3 { try Self.png.write(to: URL(fileURLWithPath: "\(only)/\(c)/\(k).png")) }
        }
        try Data("x".utf8).write(to: URL(fileURLWithPath: only + "/.cache.npy"))
        XCTAssertEqual(OwnDataset.format(of: only), .pngTree)
    }

    /// Float pixels outside [0, 1] (or outside [0, 255] or not whole numbers, for a set in bytes'
    /// range) are refused, naming the file, the array and the range found: they were clamped
    /// without a word, pixels off by up to 55 levels.
    func testFloatsOutsideTheirRangeAreRefused() throws {
        let dir = try tempDir("own-floats")
        let n = 4
        func floats(_ values: [Float]) -> [UInt8] {
            values.withUnsafeBytes { Array($0) }
        }
        let ramp = (0..<(n * 784)).map { Float($0 % 256) / 255 }
        let labels = Self.npy("|u1", [n], [0, 1, 0, 1])
        func npz(_ name: String, _ x: [Float]) throws -> String {
            let path = dir + "/" + name + ".npz"
            try ZipWriter.write(
                ["x_train.npy": Self.npy("<f4", [n, 784], floats(x)), "y_train.npy": labels], to: path)
            return path
        }
        // In range: read as they are, and whole numbers up to 255 as bytes.
        let unit = try OwnDataset.load(path: try npz("unit", ramp))
        let bytes = try OwnDataset.load(path: try npz("bytes", ramp.map { ($0 * 255).rounded() }))
        XCTAssertEqual(unit.quantised().dataset.train.images, bytes.quantised().dataset.train.images)
        for (name, x, says) in [
            ("signed", ramp.map { $0 * 2 - 1 }, "holds floats from -1 to 1"),
            ("times4", ramp.map { $0 * 4 }, "holds floats from 0 to 4"),
            ("over", ramp.map { ($0 * 255).rounded() * 2 }, "holds floats from 0 to 510"),
            ("halves", ramp.map { $0 * 255 + 0.5 }, "holds floats from 0.5 to 255.5")
        ] {
            assertRefused(try npz(name, x), naming: name + ".npz:x_train", says: says)
        }
        let folder = dir + "/npy"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for c in ["a", "b"] {
            try Data(Self.npy("<f4", [n, 784], floats(ramp.map { $0 * 2 - 1 }))).write(
                to: URL(fileURLWithPath: folder + "/\(c).npy"))
        }
        assertRefused(folder, naming: "npy/a.npy", says: "holds floats from -1 to 1")
    }

    /// A `.npz` whose y_test holds a class that y_train lacks is refused (it was taken as one
    /// more class, with no image to train it).
    func testATestClassMissingFromTheTrainingSplitIsRefused() throws {
        let dir = try tempDir("own-ytest")
        let x = Self.npy("|u1", [4, 784], Self.bars(4))
        let path = dir + "/three.npz"
        try ZipWriter.write(
            [
                "x_train.npy": x, "y_train.npy": Self.npy("|u1", [4], [0, 1, 0, 1]),
                "x_test.npy": x, "y_test.npy": Self.npy("|u1", [4], [0, 1, 2, 1])
            ], to: path)
        assertRefused(path, naming: "three.npz", says: "y_train holds no image of label 2")
    }

    /// Light ink on a transparent background (white strokes, alpha 255; the rest alpha 0) is laid
    /// on black, which keeps its ink: the digits peak at 1 (255), not inverted. It was laid on white,
    /// inverted, and kept peaking at 55. A set that still comes out nearly blank is refused.
    func testLightInkOnTransparencyKeepsItsInk() throws {
        let dir = try tempDir("own-alpha")
        func tree(_ name: String, pixel: (Int, Int) -> [UInt8]) throws -> String {
            let root = dir + "/" + name
            for (c, shift) in [("a", 0), ("b", 6)] {
                try FileManager.default.createDirectory(atPath: root + "/" + c, withIntermediateDirectories: true)
                for k in 0..<4 {
                    try PNGWriter.rgba(width: 28, height: 28) { x, y in pixel(x + shift + k, y) }
                        .write(to: URL(fileURLWithPath: "\(root)/\(c)/\(k).png"))
                }
            }
            return root
        }
        // A bar: white and opaque inside, white (or black) and transparent outside.
        let inBar = { (x: Int, y: Int) in (8..<14).contains(x % 28) && (4..<24).contains(y) }
        for background: UInt8 in [255, 0] {
            let root = try tree("light-\(background)") { x, y in
                inBar(x, y) ? [255, 255, 255, 255] : [background, background, background, 0]
            }
            let own = try OwnDataset.load(path: root)
            XCTAssertFalse(own.summary.contains("inverted"), own.summary)
            let images = own.quantised().dataset.train.images
            XCTAssertEqual(images.max(), 1, "the ink kept whole")
            XCTAssertEqual(images.min(), 0)
        }
        // Dark ink on transparency is laid on white and inverted, as before.
        let dark = try OwnDataset.load(
            path: try tree("dark") { x, y in inBar(x, y) ? [0, 0, 0, 255] : [0, 0, 0, 0] })
        XCTAssertTrue(dark.summary.contains("inverted"), dark.summary)
        XCTAssertEqual(dark.quantised().dataset.train.images.max(), 1)
        // Nearly one grey all over: refused with the reason.
        let blank = try tree("blank") { x, y in inBar(x, y) ? [130, 130, 130, 255] : [120, 120, 120, 255] }
        assertRefused(blank, naming: "blank", says: "come out nearly blank")
    }
}

/// The NumPy fuzz corpus keeps the hostile shapes of issue 56 as `own-*` (floats outside their
/// range, a test class the training split lacks, hidden and lone arrays), and every kept input,
/// read as a `.npz` by the own-data reader, ends in a set or in one line naming the file.
final class OwnDataNumPyCorpusTests: XCTestCase {
    /// The `own-*` inputs and what the own-data reader must say of each, read as a `.npz`.
    static func hostileInputs(in dir: String) throws -> [String: (bytes: [UInt8], says: String)] {
        let n = 4
        let ramp = (0..<(n * 784)).map { Float($0 % 256) / 255 }
        func floats(_ v: [Float]) -> [UInt8] { v.withUnsafeBytes { Array($0) } }
        let labels = HostileDataTests.npy("|u1", [n], [0, 1, 0, 1])
        let x = { (v: [Float]) in HostileDataTests.npy("<f4", [n, 784], floats(v)) }
        func npz(_ members: [String: [UInt8]]) throws -> [UInt8] {
            let path = dir + "/member.npz"
            try ZipWriter.write(members, to: path)
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return [
            "own-floats-signed.npz": (
                try npz(["x_train.npy": x(ramp.map { $0 * 2 - 1 }), "y_train.npy": labels]),
                "x_train: holds floats from -1 to 1"
            ),
            "own-floats-times-4.npz": (
                try npz(["x_train.npy": x(ramp.map { $0 * 4 }), "y_train.npy": labels]),
                "x_train: holds floats from 0 to 4"
            ),
            "own-floats-halves.npz": (
                try npz(["x_train.npy": x(ramp.map { $0 * 255 + 0.5 }), "y_train.npy": labels]),
                "x_train: holds floats from 0.5 to 255.5"
            ),
            "own-floats-bytes.npz": (
                try npz(["x_train.npy": x(ramp.map { ($0 * 255).rounded() }), "y_train.npy": labels]), "loads"
            ),
            "own-test-class-missing.npz": (
                try npz([
                    "x_train.npy": HostileDataTests.npy("|u1", [n, 784], HostileDataTests.bars(n)),
                    "y_train.npy": labels,
                    "x_test.npy": HostileDataTests.npy("|u1", [n, 784], HostileDataTests.bars(n)),
                    "y_test.npy": HostileDataTests.npy("|u1", [n], [0, 1, 2, 1])
                ]), "y_train holds no image of label 2"
            ),
            "own-floats-signed.npy": (x(ramp.map { $0 * 2 - 1 }), "is not a zip archive")
        ]
    }

    func testTheCorpusKeepsTheHostileShapes() throws {
        let dir = try tempDir("own-corpus")
        let made = try Self.hostileInputs(in: dir).mapValues(\.bytes)
        let kept = Dictionary(uniqueKeysWithValues: try fuzzCorpus("numpy").filter { $0.name.hasPrefix("own-") })
        if ProcessInfo.processInfo.environment["VAEGAN_RECORD_CORPUS"] == "1" {
            let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/numpy").path
            for (name, bytes) in made { try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name)) }
        } else {
            XCTAssertEqual(kept, made, "the kept own-* inputs are the ones made here")
        }
    }

    func testEveryCorpusInputIsASetOrOneLineNamingTheFile() throws {
        let dir = try tempDir("own-corpus-read")
        let hostile = try Self.hostileInputs(in: dir)
        let path = dir + "/input.npz"
        for (name, bytes) in try fuzzCorpus("numpy") {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let said: String
            do {
                _ = try OwnDataset.load(path: path)
                said = "loads"
            } catch let error as FileError {
                said = "\(error)"
                XCTAssertTrue(said.hasPrefix(path), "\(name): '\(said)' names the file")
                XCTAssertFalse(said.contains("\n"), name)
            } catch {
                XCTFail("\(name): not a FileError: \(error)")
                continue
            }
            if let expected = hostile[name]?.says {
                XCTAssertTrue(said.contains(expected), "\(name): '\(said)' should say \(expected)")
            }
        }
    }
}

/// Minimal PNG files (8-bit RGBA, one IDAT, no filtering), as a test writes them without Pillow.
enum PNGWriter {
    static func rgba(width: Int, height: Int, pixel: (Int, Int) -> [UInt8]) -> Data {
        func be32(_ v: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be32(data.count) + body + be32(Int(Zlib.crc32(body)))
        }
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0)
            for x in 0..<width { raw += pixel(x, y) }
        }
        let ihdr = be32(width) + be32(height) + [8, 6, 0, 0, 0]
        let bytes: [UInt8] =
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", Zlib.deflate(raw))
            + chunk("IEND", [])
        return Data(bytes)
    }
}
