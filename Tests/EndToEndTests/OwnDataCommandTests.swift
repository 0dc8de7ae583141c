import Foundation
import TestSupport
import XCTest

/// train-and-record --data with sets that other tools wrote: the set is read, said in one line,
/// kept in the run folder, and trained on; a resume reads the kept copy; evaluate asks for a
/// classifier of it; a set of other than ten classes, or a broken one, is one line and leaves
/// nothing behind.
final class OwnDataCommandTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("OwnDataTests/Fixtures").path

    func testAPNGTreeTrainsResumesAndFilms() throws {
        let dir = try tempDir("own-cli")
        let run = dir + "/run"
        let common = ["--run", run, "--batch-size", "8", "--snapshot-every", "1", "--threads", "1"]
        let first = try runCLI(
            ["train-and-record", "--data", Self.fixtures + "/png10", "--iterations", "2"] + common, in: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(
            first.stderr.contains(
                "png10: a folder tree of PNG files, 60 images of 10 classes, inverted (dark on light), 60 fitted into 28x28; classes eight, five,"
            ), first.stderr)
        let config = try String(contentsOfFile: run + "/config.json", encoding: .utf8)
        XCTAssertTrue(config.contains(#""dataset" : "own""#), config)
        XCTAssertTrue(config.contains(#""seven""#) && config.contains(#""dataSource""#), config)
        for name in [
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/data/" + name), name)
        }
        // Resumed (from the kept copy), it ends with the bytes of a run that never stopped.
        let resumed = try runCLI(
            ["train-and-record", "--run", run, "--resume", "--iterations", "4", "--quiet"], in: dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let whole = dir + "/whole"
        let once = try runCLI(
            ["train-and-record", "--data", Self.fixtures + "/png10", "--iterations", "4", "--quiet"]
                + ["--run", whole] + common.dropFirst(2), in: dir)
        XCTAssertEqual(once.status, 0, once.stderr)
        for file in ["checkpoint.safetensors", "recording.vgr", "losses.csv"] {
            XCTAssertEqual(
                FileManager.default.contents(atPath: run + "/" + file),
                FileManager.default.contents(atPath: whole + "/" + file), file)
        }
        // The digit classifier cannot judge another set: evaluate asks for one of it.
        let evaluate = try runCLI(["evaluate", "--run", run], in: dir)
        XCTAssertEqual(evaluate.status, 1, evaluate.stderr)
        XCTAssertTrue(evaluate.stderr.contains("trains your own data, which the digit classifier cannot judge"))
        let film = try runCLI(["render", "manifold_7.mp4", "--run", run, "--quiet"], in: dir)
        XCTAssertEqual(film.status, 0, film.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/manifold_7.mp4"))
    }

    func testOtherThanTenClassesOrABrokenSetIsOneLine() throws {
        let dir = try tempDir("own-cli-bad")
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/text", withIntermediateDirectories: true)
        try Data("not images".utf8).write(to: URL(fileURLWithPath: dir + "/text/readme.txt"))
        try fm.createDirectory(atPath: dir + "/hollow/a", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/hollow/b", withIntermediateDirectories: true)
        for (data, says) in [
            (Self.fixtures + "/npy3", "holds 3 classes; this version trains sets of exactly 10"),
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
