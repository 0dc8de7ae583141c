import Foundation
import RunModel
import Video
import XCTest

/// `train-and-record --data` with colour images and other sides, through the program as a user
/// runs it: the set's shape chosen and said, kept, resumed to the same bytes, filmed and sheeted
/// in colour, evaluated with its colour carry; a wrong --side or a resume with another shape is
/// one line and writes nothing.
final class ColourDataCommandTests: XCTestCase {
    static let fixtures = OwnDataCommandTests.fixtures + "/colour"
    let common = ["--batch-size", "8", "--snapshot-every", "1", "--threads", "1"]

    func testATintedSetTrainsResumesAndFilmsInColour() throws {
        let dir = try tempDir("colour-cli")
        let run = dir + "/run"
        let first = try runCLI(
            ["train-and-record", "--data", Self.fixtures + "/tinted.npz", "--run", run, "--iterations", "2"] + common,
            in: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(
            first.stderr.contains("tinted.npz: a NumPy .npz, 80 images of 10 classes, 28x28 colour"), first.stderr)
        let config = try RunConfig.read(from: run)
        XCTAssertEqual([config.data.side, config.data.channels], [28, 3])
        let kept = try Data(contentsOf: URL(fileURLWithPath: run + "/data/train-images-idx3-ubyte"))
        XCTAssertEqual(Array(kept.prefix(4)), [0, 0, 8, 4], "kept as colour IDX")
        // Another shape on a resume: one line, nothing written.
        let before = try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.safetensors"))
        for (flag, value, says) in [
            ("--side", "32", "--side 32: the run was made for 28x28 images"),
            ("--colour", "no", "--colour no: the run was made for colour images")
        ] {
            let refused = try runCLI(
                ["train-and-record", "--run", run, "--resume", "--iterations", "4", flag, value], in: dir)
            XCTAssertNotEqual(refused.status, 0)
            XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains(says), refused.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.safetensors")), before)
        // Resumed, it ends with the bytes of a run that never stopped.
        let resumed = try runCLI(
            ["train-and-record", "--run", run, "--resume", "--iterations", "4", "--quiet"], in: dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let whole = dir + "/whole"
        let once = try runCLI(
            [
                "train-and-record", "--data", Self.fixtures + "/tinted.npz", "--run", whole, "--iterations", "4",
                "--quiet"
            ]
                + common, in: dir)
        XCTAssertEqual(once.status, 0, once.stderr)
        for file in ["checkpoint.safetensors", "recording.vgr", "losses.csv"] {
            XCTAssertEqual(
                FileManager.default.contents(atPath: run + "/" + file),
                FileManager.default.contents(atPath: whole + "/" + file), file)
        }
        // A film in colour, tagged so; a sheet; an evaluation with its colour carry.
        let film = try runCLI(["render", "manifold_3.mp4", "--run", run, "--quiet"], in: dir)
        XCTAssertEqual(film.status, 0, film.stderr)
        XCTAssertEqual(try VideoReader.read(path: dir + "/manifold_3.mp4").info.colourMatrix, "bt709")
        let sheet = try runCLI(["export", "style-transfer", "--run", run, "--count", "3", "--quiet"], in: dir)
        XCTAssertEqual(sheet.status, 0, sheet.stderr)
        let evaluate = try runCLI(["evaluate", "--run", run, "--samples", "20"], in: dir)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stdout.contains("colour carry              hue "), evaluate.stdout)
        // The digit classifier tells ten classes apart too, but reads grey: one line.
        let grey = try runCLI(
            ["evaluate", "--run", run, "--samples", "20", "--classifier", StudioBrowserTests.classifierPath], in: dir)
        XCTAssertEqual(grey.status, 1, grey.stderr)
        XCTAssertEqual(grey.stderr.split(separator: "\n").count, 1, grey.stderr)
        XCTAssertTrue(
            grey.stderr.contains(
                "has images of 28x28x3, but the classifier reads 28x28x1; give a classifier of its data"),
            grey.stderr)
    }

    /// Pictures larger than 32 train at 64; a side that is not a multiple of 4 is one line.
    func testLargerPicturesTrainAtSixtyFourAndABadSideIsRefused() throws {
        let dir = try tempDir("colour-64")
        let run = dir + "/run"
        let train = try runCLI(
            ["train-and-record", "--data", Self.fixtures + "/png48x40", "--run", run, "--iterations", "1"] + common,
            in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stderr.contains("64x64 colour, 18 fitted into 64x64"), train.stderr)
        let film = try runCLI(["render", "all.mp4", "--run", run, "--quiet"], in: dir)
        XCTAssertEqual(film.status, 0, film.stderr)
        let bad = try runCLI(
            ["train-and-record", "--data", Self.fixtures + "/png48x40", "--run", dir + "/bad", "--side", "30"], in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--side must be a multiple of 4 from 16 to 64, got 30"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/bad"), "nothing written")
    }
}
