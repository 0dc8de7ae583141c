import Datasets
import Foundation
import RunModel
import TestSupport
import XCTest

/// train-and-record --data with sets that other tools wrote: the set is read, said in one line,
/// kept in the run folder, and trained on; a resume reads the kept copy (and refuses another
/// set); evaluate trains a classifier of it once and keeps it; films, sheets and file names carry
/// the classes' names, for 2 to 64 classes; a broken set is one line and leaves nothing behind.
final class OwnDataCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("OwnDataTests/Fixtures").path

    func testAPNGTreeTrainsResumesAndFilms() throws {
        let dir = try tempDir("own-cli")
        let run = dir + "/run"
        let common = ["--run", run, "--batch-size", "8", "--snapshot-every", "1", "--threads", "1"]
        let first = try runCLI(
            ["train-and-record", "--data", Self.fixtures + "/png10", "--side", "28", "--iterations", "2"] + common,
            in: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(
            first.stderr.contains(
                "png10: a folder tree of PNG files, 60 images of 10 classes, inverted (dark on light), 60 fitted into 28x28; classes eight, five,"
            ), first.stderr)
        let config = try String(contentsOfFile: run + "/config.json", encoding: .utf8)
        XCTAssertTrue(config.contains(#""dataset" : "own""#), config)
        XCTAssertTrue(config.contains(#""seven""#) && config.contains(#""dataSource""#), config)
        // Dark on light, turned light on dark: recorded, for the pages to fit a picture alike.
        let inverted = PictureFitting(inverted: true, background: nil)
        XCTAssertEqual(try RunConfig.read(from: run).fitting, inverted, config)
        for name in [
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/data/" + name), name)
        }
        // Resumed (from the kept copy), it ends with the bytes of a run that never stopped.
        let resumed = try runCLI(
            ["train-and-record", "--run", run, "--resume", "--iterations", "4", "--quiet"], in: dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try RunConfig.read(from: run).fitting, inverted, "a resumed run keeps its fitting")
        let whole = dir + "/whole"
        let once = try runCLI(
            ["train-and-record", "--data", Self.fixtures + "/png10", "--side", "28", "--iterations", "4", "--quiet"]
                + ["--run", whole] + common.dropFirst(2), in: dir)
        XCTAssertEqual(once.status, 0, once.stderr)
        for file in ["checkpoint.safetensors", "recording.vgr", "losses.csv"] {
            XCTAssertEqual(
                FileManager.default.contents(atPath: run + "/" + file),
                FileManager.default.contents(atPath: whole + "/" + file), file)
        }
        // The digit classifier cannot judge another set: evaluate trains one of it, once.
        let evaluate = try runCLI(["evaluate", "--run", run, "--samples", "20"], in: dir)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stderr.contains("no classifier of this data yet"), evaluate.stderr)
        let again = try runCLI(["evaluate", "--run", run, "--samples", "20"], in: dir)
        XCTAssertTrue(again.stderr.contains("judged by the classifier of this data"), again.stderr)
        // A film by number, and by its class's name (label 7 of the sorted folders is "three").
        for (name, file) in [("manifold_7.mp4", "manifold_7.mp4"), ("manifold_three.mp4", "manifold_three.mp4")] {
            let film = try runCLI(["render", name, "--run", run, "--quiet"], in: dir)
            XCTAssertEqual(film.status, 0, film.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + file))
        }
        XCTAssertEqual(
            FileManager.default.contents(atPath: dir + "/manifold_7.mp4"),
            FileManager.default.contents(atPath: dir + "/manifold_three.mp4"), "the same film")
    }

    /// Quick, Draw!'s layout, three classes: trained, filmed and sheeted by name, judged by a
    /// classifier of its own; a resume on another set is refused.
    func testThreeClassesOfNPYFiles() throws {
        let dir = try tempDir("own-npy3")
        let run = dir + "/run"
        try Self.trainThreeClasses(run: run, in: dir)
        let config = try RunConfig.read(from: run)
        XCTAssertEqual(config.data.classes.names, ["one", "seven", "zero"])
        XCTAssertEqual(config.dataChecksum?.hasPrefix("crc32:"), true)
        XCTAssertEqual(config.fitting, PictureFitting(inverted: false), "light on dark: not inverted, recorded")
        let all = try runCLI(["render", "--all", "--run", run, "--quiet"], in: dir)
        XCTAssertEqual(all.status, 0, all.stderr)
        for name in ["one", "seven", "zero"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/manifold_\(name).mp4"), name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: run + "/manifold_3.mp4"))
        for film in ["all.mp4", "walk.mp4"] {
            let r = try runCLI(["render", film, "--run", run, "--seconds", "0.2", "--quiet"], in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        // The sheet: three rows of ten (9 test images here), named by class.
        let sheet = try runCLI(
            ["export", "style-transfer", "--run", run, "--label", "seven", "--count", "3", "--quiet"], in: dir)
        XCTAssertEqual(sheet.status, 0, sheet.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/style_transfer_seven.png"), sheet.stderr)
        let unknown = try runCLI(
            ["export", "style-transfer", "--run", run, "--label", "one", "--classes", "one,cat"], in: dir)
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertEqual(unknown.stderr.split(separator: "\n").count, 1, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("--classes: 'cat' is not a label of the run"), unknown.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: run + "/style_transfer_one.png"), "nothing written")
        let outside = try runCLI(["export", "style-transfer", "--run", run, "--label", "5"], in: dir)
        XCTAssertNotEqual(outside.status, 0)
        XCTAssertTrue(outside.stderr.contains("--label must be between 0 and 2 or a class's name"), outside.stderr)
        let evaluate = try runCLI(["evaluate", "--run", run, "--samples", "20", "--json"], in: dir)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stdout.contains(#""dataset":"own""#), evaluate.stdout)
        // A resume names the set again (in any format) or none; another set is refused in one line.
        let same = try runCLI(
            [
                "train-and-record", "--run", run, "--resume", "--iterations", "3", "--data", Self.fixtures + "/npy3",
                "--quiet"
            ],
            in: dir)
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertEqual(try RunConfig.read(from: run).fitting, PictureFitting(inverted: false), "kept by a resume")
        let other = try runCLI(
            ["train-and-record", "--run", run, "--resume", "--iterations", "4", "--data", Self.fixtures + "/keras.npz"],
            in: dir)
        XCTAssertNotEqual(other.status, 0)
        XCTAssertEqual(other.stderr.split(separator: "\n").count, 1, other.stderr)
        XCTAssertTrue(other.stderr.contains("is not the set this run was trained on"), other.stderr)
        try checkJudges(run: run, in: dir)
        try checkDamage(run: run, in: dir)
    }

    /// A classifier of the set trained by train-classifier --data judges without a warning; the
    /// digit classifier (ten classes) is refused in one line.
    func checkJudges(run: String, in dir: String) throws {
        let trained = try runCLI(
            ["train-classifier", "--data", Self.fixtures + "/npy3", "--epochs", "1", "--batch-size", "10"]
                + ["--out", dir + "/judge.safetensors", "--quiet"], in: dir)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let judged = try runCLI(
            ["evaluate", "--run", run, "--samples", "20", "--classifier", dir + "/judge.safetensors"], in: dir)
        XCTAssertEqual(judged.status, 0, judged.stderr)
        XCTAssertFalse(judged.stderr.contains("trained on other data"), judged.stderr)
        let digits = try runCLI(
            ["evaluate", "--run", run, "--samples", "20", "--classifier", StudioBrowserTests.classifierPath],
            in: dir)
        XCTAssertEqual(digits.status, 1, digits.stderr)
        XCTAssertTrue(digits.stderr.contains("has 3 classes, but the classifier tells 10 apart"), digits.stderr)
    }

    /// A kept set changed since the run started, and a recording whose grids are not the run's
    /// classes, are each one line; neither is used.
    func checkDamage(run: String, in dir: String) throws {
        let fm = FileManager.default
        let changed = dir + "/changed"
        try fm.copyItem(atPath: run, toPath: changed)
        let labels = changed + "/data/t10k-labels-idx1-ubyte"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: labels)))
        bytes[8] = bytes[8] == 0 ? 1 : 0
        try Data(bytes).write(to: URL(fileURLWithPath: labels))
        let resumed = try runCLI(["train-and-record", "--run", changed, "--resume", "--iterations", "5"], in: dir)
        XCTAssertNotEqual(resumed.status, 0)
        XCTAssertEqual(resumed.stderr.split(separator: "\n").count, 1, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("it was changed since the run started"), resumed.stderr)

        let widened = dir + "/widened"
        try fm.copyItem(atPath: run, toPath: widened)
        var config = try RunConfig.read(from: widened)
        config.model.data = DataDescription(names: config.data.classes.names + ["four"])
        try config.write(to: widened)
        let film = try runCLI(["render", widened + "/all.mp4", "--run", widened], in: dir)
        XCTAssertEqual(film.status, 1, film.stderr)
        XCTAssertTrue(film.stderr.contains("recording.vgr: snapshot of period 0 holds 3 grids"), film.stderr)
        XCTAssertFalse(fm.fileExists(atPath: widened + "/all.mp4"))
    }

    /// The two ends: 2 classes and 64, each a folder of .npy files written here (a class is a
    /// bar at its own place), trained, filmed as a panel and a walk, and sheeted.
    func testTwoAndSixtyFourClasses() throws {
        for count in [2, 64] {
            let dir = try tempDir("own-\(count)")
            let data = dir + "/data"
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            for c in 0..<count {
                var images: [UInt8] = []
                for k in 0..<6 {
                    var image = [UInt8](repeating: 0, count: 784)
                    let row = 2 + (c * 24 / count), start = 4 + k
                    for x in start..<(start + 16) { image[row * 28 + x] = 255; image[(row + 1) * 28 + x] = 200 }
                    images += image
                }
                try Data(Self.npy(images, rows: 6)).write(to: URL(fileURLWithPath: data + "/class \(c).npy"))
            }
            let run = dir + "/run"
            let train = try runCLI(
                ["train-and-record", "--data", data, "--run", run, "--iterations", "2", "--batch-size", "8"]
                    + ["--snapshot-every", "1", "--threads", "1"], in: dir)
            XCTAssertEqual(train.status, 0, train.stderr)
            XCTAssertTrue(train.stderr.contains("\(6 * count) images of \(count) classes"), train.stderr)
            for film in ["all.mp4", "walk.mp4", "manifold_class-\(count - 1).mp4"] {
                let r = try runCLI(["render", film, "--run", run, "--seconds", "0.2", "--quiet"], in: dir)
                XCTAssertEqual(r.status, 0, "\(count) classes, \(film): \(r.stderr)")
                XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + film), film)
            }
            let sheet = try runCLI(
                ["export", "style-transfer", "--run", run, "--label", "class \(count - 1)", "--count", "1"]
                    + ["--out", dir + "/sheet.png", "--quiet"], in: dir)
            XCTAssertEqual(sheet.status, 0, sheet.stderr)
            let picked = try runCLI(
                ["export", "style-transfer", "--run", run, "--label", "0", "--count", "1", "--classes", "0,1"]
                    + ["--out", dir + "/two.png", "--quiet"], in: dir)
            XCTAssertEqual(picked.status, 0, picked.stderr)
            // Rows picked without the source get the inputs' row too: the same two rows.
            let withSource = try runCLI(
                ["export", "style-transfer", "--run", run, "--label", "0", "--count", "1", "--classes", "1"]
                    + ["--out", dir + "/one.png", "--quiet"], in: dir)
            XCTAssertEqual(withSource.status, 0, withSource.stderr)
            XCTAssertEqual(try Self.pngSize(dir + "/one.png").height, try Self.pngSize(dir + "/two.png").height)
            // Rows of 28 x 3 px: 16 at most by default, or the two picked.
            let height = { (p: String) in try Self.pngSize(p).height }
            XCTAssertEqual(try height(dir + "/sheet.png") - height(dir + "/two.png"), (min(count, 16) - 2) * 84)
        }
    }

    /// --label matches a class's exact name first, then its file form, then one name in any case;
    /// a name that several classes have in other cases is refused, naming them. Bare `export
    /// style-transfer` draws the first class of a set of fewer than eight (it asked for label 7).
    func testALabelIsTheClassItNames() throws {
        let dir = try tempDir("own-labels")
        let png = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/png10/train/one/0.png"))
        // Sorted: ANKLE_BOOT, Ankle boot, ankle boot, ankle-boot, ankle-boot-1; their file forms
        // ankle-boot, ankle-boot-1, ankle-boot-2, ankle-boot-3, ankle-boot-1-4.
        for name in ["ANKLE_BOOT", "Ankle boot", "ankle boot", "ankle-boot", "ankle-boot-1"] {
            try FileManager.default.createDirectory(atPath: dir + "/set/" + name, withIntermediateDirectories: true)
            for k in 0..<3 { try png.write(to: URL(fileURLWithPath: "\(dir)/set/\(name)/\(k).png")) }
        }
        let run = dir + "/run"
        let train = try runCLI(
            ["train-and-record", "--data", dir + "/set", "--run", run, "--iterations", "2", "--batch-size", "8"]
                + ["--snapshot-every", "1", "--threads", "1", "--quiet"], in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        func sheet(_ args: [String]) throws -> [String] {
            let before = Set(try FileManager.default.contentsOfDirectory(atPath: run))
            let r = try runCLI(["export", "style-transfer", "--run", run, "--count", "2", "--quiet"] + args, in: dir)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            let made = Set(try FileManager.default.contentsOfDirectory(atPath: run)).subtracting(before).sorted()
            for name in made { try FileManager.default.removeItem(atPath: run + "/" + name) }
            return made
        }
        XCTAssertEqual(try sheet([]), ["style_transfer_ankle-boot.png"], "the first class")
        XCTAssertEqual(try sheet(["--label", "ankle-boot"]), ["style_transfer_ankle-boot-3.png"], "an exact name")
        XCTAssertEqual(try sheet(["--label", "ankle-boot-1"]), ["style_transfer_ankle-boot-1-4.png"], "an exact name")
        XCTAssertEqual(try sheet(["--label", "ankle-boot-2"]), ["style_transfer_ankle-boot-2.png"], "a file form")
        XCTAssertEqual(try sheet(["--label", "ankle_boot"]), ["style_transfer_ankle-boot.png"], "in another case")
        XCTAssertEqual(try sheet(["--label", "ANKLE-BOOT-1"]), ["style_transfer_ankle-boot-1-4.png"], "in another case")
        let ambiguous = try runCLI(["export", "style-transfer", "--run", run, "--label", "ANKLE BOOT"], in: dir)
        XCTAssertEqual(ambiguous.status, 1, ambiguous.stderr)
        XCTAssertEqual(ambiguous.stderr.split(separator: "\n").count, 1, ambiguous.stderr)
        XCTAssertTrue(
            ambiguous.stderr.contains("matches more than one class in another case (Ankle boot, ankle boot)"),
            ambiguous.stderr)
    }

    /// Train the three classes of .npy files (one, seven, zero) for two iterations into `run`.
    static func trainThreeClasses(run: String, in dir: String) throws {
        let train = try runCLI(
            ["train-and-record", "--data", fixtures + "/npy3", "--run", run, "--iterations", "2", "--batch-size", "8"]
                + ["--snapshot-every", "1", "--threads", "1", "--quiet"], in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
    }

    /// A NumPy .npy of `rows` x 784 bytes.
    static func npy(_ bytes: [UInt8], rows: Int) -> [UInt8] {
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (\(rows), 784), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
            + Array(header.utf8) + bytes
    }

    /// A PNG's width and height, from its IHDR.
    static func pngSize(_ path: String) throws -> (width: Int, height: Int) {
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let word = { (i: Int) in Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        return (word(16), word(20))
    }

    func testABrokenSetIsOneLine() throws {
        let dir = try tempDir("own-cli-bad")
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/text", withIntermediateDirectories: true)
        try Data("not images".utf8).write(to: URL(fileURLWithPath: dir + "/text/readme.txt"))
        try fm.createDirectory(atPath: dir + "/hollow/a", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/hollow/b", withIntermediateDirectories: true)
        for (data, says) in [
            (dir + "/text", "missing (neither train-images-idx3-ubyte"),
            (dir + "/hollow", "hollow/a: holds no images")
        ] {
            // Each as it is, and with a bad --invert, which is named before the data is read.
            for extra in [[], ["--invert", "maybe"]] {
                let r = try runCLI(
                    ["train-and-record", "--run", dir + "/run", "--data", data, "--iterations", "2"] + extra, in: dir)
                XCTAssertEqual(r.status, 1, r.stderr)
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
                XCTAssertTrue(r.stderr.contains(extra.isEmpty ? says : "'maybe' is invalid for '--invert"), r.stderr)
                XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run"), "nothing written")
            }
        }
    }
}
