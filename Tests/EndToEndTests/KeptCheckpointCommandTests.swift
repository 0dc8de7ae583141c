import Foundation
import RunFolder
import TestSupport
import XCTest

/// `train-and-record --keep-checkpoints K`, added on the resume of a run started without it, and
/// `--checkpoint ITERATION` of evaluate, export and serve: a named checkpoint draws and measures
/// as the run's checkpoint did at that iteration; a missing one names those kept, a damaged one
/// is one line naming it, and neither touches the run.
final class KeptCheckpointCommandTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        try requireMNIST()
        dir = try tempDir("kept-cli")
    }

    @discardableResult
    func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) { try runCLI(args, in: dir) }

    func succeed(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try run(args)
        XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)", file: file, line: line)
        return r.stdout
    }

    /// One line, exit status 1, saying `problem` and naming `naming`.
    func assertFails(_ args: [String], naming: String, problem: String, line: UInt = #line) throws {
        let r = try run(args)
        XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)", line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)", line: line)
        XCTAssertTrue(r.stderr.contains(problem) && r.stderr.contains(naming), "\(args): \(r.stderr)", line: line)
    }

    func train(_ run: String, _ more: [String]) throws {
        try succeed(
            [
                "train-and-record", "--run", run, "--checkpoint-every", "2", "--batch-size", "8", "--seed", "5",
                "--threads", "2", "--quiet"
            ] + more)
    }

    /// Every file of a run folder and its bytes.
    func contents(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: folder)!
        while let name = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                out[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            }
        }
        return out
    }

    /// evaluate's JSON without the name of what it measured.
    func measures(_ json: String) throws -> NSDictionary {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary)
        let copy = object.mutableCopy() as! NSMutableDictionary
        copy.removeObject(forKey: "run")
        return copy
    }

    func testAResumeKeepsCheckpointsThatReadersName() throws {
        let (a, b, c) = (dir + "/a", dir + "/b", dir + "/c")
        // a: trained to 4 keeping nothing, then resumed to 6 keeping the last 3 (4 and 6).
        try train(a, ["--iterations", "4"])
        try train(a, ["--resume", "--iterations", "6", "--keep-checkpoints", "3"])
        XCTAssertEqual(KeptCheckpoints.iterations(in: RunDirectory(a)), [4, 6])
        // b: the same run stopped at 4; c: trained to 6 keeping nothing.
        try train(b, ["--iterations", "4"])
        try train(c, ["--iterations", "6"])
        for file in ["checkpoint.safetensors", "recording.vgr", "losses.csv", "metrics.csv"] {
            XCTAssertEqual(
                try Data(contentsOf: URL(fileURLWithPath: a + "/" + file)),
                try Data(contentsOf: URL(fileURLWithPath: c + "/" + file)),
                "\(file): kept checkpoints changed its bytes")
        }

        // evaluate --checkpoint 4 of a measures what evaluate of b measures, and keeps nothing.
        let quick = ["--samples", "2", "--test-digits", "100", "--json", "--threads", "2"]
        let named = try succeed(["evaluate", "--run", a, "--checkpoint", "4"] + quick)
        let stopped = try succeed(["evaluate", "--run", b] + quick)
        XCTAssertEqual(try measures(named), try measures(stopped))
        XCTAssertEqual(try measures(named)["iteration"] as? Int, 4)
        XCTAssertFalse(FileManager.default.fileExists(atPath: a + "/evaluation.json"))
        // The latest checkpoint's iteration may be named too.
        XCTAssertEqual(
            try measures(try succeed(["evaluate", "--run", c, "--checkpoint", "6"] + quick)),
            try measures(try succeed(["evaluate", "--run", a, "--checkpoint", "6"] + quick)))

        // export style-transfer and export weights of the kept checkpoint: b's, byte for byte.
        try succeed(["export", "style-transfer", "--run", a, "--checkpoint", "4", "--out", dir + "/a.png", "--quiet"])
        try succeed(["export", "style-transfer", "--run", b, "--out", dir + "/b.png", "--quiet"])
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: dir + "/a.png")),
            try Data(contentsOf: URL(fileURLWithPath: dir + "/b.png")))
        try succeed(["export", "style-transfer", "--run", a, "--checkpoint", "4", "--quiet"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: a + "/style_transfer_7-iteration-000004.png"))
        try succeed(["export", "weights", "--run", a, "--checkpoint", "4", "--out", dir + "/a.safetensors"])
        try succeed(["export", "weights", "--run", b, "--out", dir + "/b.safetensors"])
        let (keptWeights, keptMeta) = try SafeTensors.read(path: dir + "/a.safetensors")
        let (stoppedWeights, _) = try SafeTensors.read(path: dir + "/b.safetensors")
        XCTAssertEqual(keptWeights, stoppedWeights)
        XCTAssertEqual(keptMeta["iteration"], "4")
        XCTAssertTrue(keptMeta["made_by"]?.hasSuffix(", the checkpoint it kept at iteration 4") == true)
        // How the weights were picked joins made_by, with the run's folder name; a rule of two lines is refused.
        _ = try succeed([
            "export", "weights", "--run", a, "--checkpoint", "4", "--picked-by", "the best of one",
            "--out", dir + "/picked.safetensors"
        ])
        let pickedMeta = try SafeTensors.read(path: dir + "/picked.safetensors").metadata
        XCTAssertTrue(
            pickedMeta["made_by"]?.hasSuffix(
                ", the checkpoint it kept at iteration 4; run \(URL(fileURLWithPath: a).lastPathComponent), "
                    + "picked by the best of one") == true, pickedMeta["made_by"] ?? "none")
        try assertFails(
            ["export", "weights", "--run", a, "--picked-by", "one\ntwo", "--out", dir + "/two.safetensors"],
            naming: "--picked-by", problem: "must be one line")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/two.safetensors"))

        // A missing iteration names those kept; a damaged file is one line naming it; the run is untouched.
        let before = try contents(a)
        for command in [
            ["evaluate"] + quick, ["export", "style-transfer"], ["export", "weights", "--out", dir + "/w.safetensors"]
        ] {
            try assertFails(
                command + ["--run", a, "--checkpoint", "5"], naming: a,
                problem: "keeps no checkpoint of iteration 5; it keeps iterations 4, 6")
        }
        let damaged = RunDirectory(a).keptCheckpointPath(iteration: 6)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: damaged))
        bytes = bytes.prefix(bytes.count - 100)
        try bytes.write(to: URL(fileURLWithPath: damaged))
        let damagedBefore = try contents(a)
        for command in [
            ["evaluate"] + quick, ["export", "style-transfer"], ["export", "weights", "--out", dir + "/w.safetensors"],
            ["serve", "--port", "0"]
        ] {
            try assertFails(
                command + ["--run", a, "--checkpoint", "6"], naming: damaged, problem: "lie outside the data")
        }
        XCTAssertEqual(try contents(a), damagedBefore)
        XCTAssertEqual(Set(before.keys), Set(damagedBefore.keys))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/w.safetensors"))

        // Flags: out of range, and --checkpoint where no run is read.
        try assertFails(
            ["train-and-record", "--run", dir + "/d", "--keep-checkpoints", "-1"], naming: "--keep-checkpoints",
            problem: "must be between 0 and")
        try assertFails(["evaluate", "--checkpoint", "4"], naming: "--checkpoint", problem: "holds no run")
    }
}
