import Evaluation
import Foundation
import RunFolder
import TestSupport
import XCTest

/// The built program, run as a user runs it: bad input must give one line naming the file or
/// flag, exit status 1, and leave nothing behind.
final class CommandLineTests: XCTestCase {
    /// The `vaegan-render` built beside this test bundle.
    static let binary: String = {
        var url = Bundle(for: CommandLineTests.self).bundleURL
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("vaegan-render").path)
            && url.path != "/"
        {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("vaegan-render").path
    }()

    var dir: String!

    override func setUpWithError() throws {
        dir = try tempDir("cli")
    }

    @discardableResult
    func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) { try runCLI(args, in: dir) }

    /// The command fails with exit status 1 and one line that says `problem` (a phrase of the
    /// message that none of the arguments holds, so the test checks what the program says, not
    /// what it was given) and, when given, names `naming` (the flag or file).
    func assertFails(
        _ args: [String], naming: String? = nil, problem: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertFalse(
            args.contains { $0.contains(problem) }, "'\(problem)' is in the arguments; check the program's own words",
            file: file,
            line: line)
        let r = try run(args)
        XCTAssertEqual(r.status, 1, "\(args): exit status; stderr: \(r.stderr)", file: file, line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "\(args): one line of error, got \(r.stderr)", file: file, line: line)
        XCTAssertTrue(
            r.stderr.contains(problem), "\(args): '\(r.stderr)' should say \(problem)", file: file, line: line)
        if let naming {
            XCTAssertTrue(
                r.stderr.contains(naming), "\(args): '\(r.stderr)' should name \(naming)", file: file, line: line)
        }
    }

    func testHelpExplainsEveryCommand() throws {
        let r = try run(["--help"])
        XCTAssertEqual(r.status, 0)
        for command in ["train-and-record", "render", "export", "evaluate", "train-classifier", "bench"] {
            XCTAssertTrue(r.stdout.contains(command), command)
        }
    }

    func testBadFlagsOfTrainAndRecord() throws {
        // A negative number is a number out of range, not a missing value.
        try assertFails(
            ["train-and-record", "--iterations", "-5"], naming: "--iterations", problem: "must be a positive number")
        try assertFails(
            ["train-and-record", "--batch-size", "-1"], naming: "--batch-size", problem: "must be between")
        try assertFails(
            ["train-and-record", "--iterations", "0"], naming: "--iterations", problem: "must be a positive number")
        try assertFails(["train-and-record", "--iterations", "many"], naming: "--iterations", problem: "is invalid")
        try assertFails(
            ["train-and-record", "--latent-dim", "1"], naming: "--latent-dim", problem: "must be between 2 and 256")
        try assertFails(
            ["train-and-record", "--batch-size", "0"], naming: "--batch-size", problem: "must be between 1 and 60000")
        try assertFails(
            ["train-and-record", "--threads", "0"], naming: "--threads", problem: "must be between 1 and 256")
        for value in ["cifar", "own"] {
            try assertFails(
                ["train-and-record", "--dataset", value], naming: "--dataset",
                problem: "one of 'mnist' and 'fashion-mnist'")
        }
        try assertFails(
            ["train-and-record", "--model", "gan"], naming: "--model", problem: "one of 'cvae-gan' and 'cvae'")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "bad flags change nothing on disk")
    }

    func testCorruptOrTruncatedMNISTIsNamed() throws {
        let data = dir + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: data + "/" + name))
        }
        let images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28] + [UInt8](repeating: 1, count: 2 * 784)
        let labels: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 2, 3, 4]
        try write("train-images-idx3-ubyte", Array(images.dropLast(100)))  // truncated
        try write("train-labels-idx1-ubyte", labels)
        try write("t10k-images-idx3-ubyte", images)
        try write("t10k-labels-idx1-ubyte", labels)
        try assertFails(
            ["train-and-record", "--data", data, "--run", dir + "/run"], naming: "train-images-idx3-ubyte",
            problem: "but the file has")
        try write("train-images-idx3-ubyte", images)
        try write("t10k-labels-idx1-ubyte", [0, 0, 8, 1, 0, 0, 0, 2, 3, 12])  // label 12
        try assertFails(
            ["train-and-record", "--data", data, "--run", dir + "/run"], naming: "--data",
            problem: "holds label 12, but the run's model takes 10 classes")
        try write("t10k-labels-idx1-ubyte", [0, 0, 8, 1, 0, 0, 0, 2, 3, 64])  // beyond any set
        try assertFails(
            ["train-and-record", "--data", data, "--run", dir + "/run"], naming: "t10k-labels-idx1-ubyte",
            problem: "label 64 at index 1 is outside 0..63")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run"), "nothing written for a bad dataset")
    }

    func testRunDirectoryProblems() throws {
        try assertFails(
            ["render", "manifold_7.mp4", "--run", dir + "/missing"], naming: dir + "/missing",
            problem: "no such run directory")
        try FileManager.default.createDirectory(atPath: dir + "/foreign", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/foreign/notes.txt"))
        try assertFails(
            ["render", "--all", "--run", dir + "/foreign"], naming: dir + "/foreign",
            problem: "not a vaegan-render run directory")
        try assertFails(
            ["train-and-record", "--resume", "--run", dir + "/foreign"], naming: dir + "/foreign",
            problem: "not a vaegan-render run directory")
        try assertFails(
            ["export", "losses", "--run", dir + "/foreign"], naming: dir + "/foreign",
            problem: "not a vaegan-render run directory")
    }

    /// `report --article` writes a page of its own: it needs a folder, and no run.
    func testReportArticleNeedsAFolderAndNoRun() throws {
        try assertFails(["report", "--article"], naming: "--article", problem: "needs --out DIR")
        try assertFails(
            ["report", "--article", "--out", "page", "--run", "r"], naming: "--article", problem: "give no --run")
        try assertFails(
            ["report", "--article", "--out", "page", "--evaluate"], naming: "--article", problem: "give no --run")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "nothing written")
    }

    func testBadRenderArguments() throws {
        try assertFails(
            ["render", "manifold_12.mp4"], naming: "manifold_12.mp4", problem: "cannot tell the film from the file name"
        )
        try assertFails(["render", "film.mp4"], naming: "film.mp4", problem: "cannot tell the film from the file name")
        try assertFails(["render", "manifold_7.avi"], naming: "manifold_7.avi", problem: "unknown extension")
        try assertFails(
            ["render", "manifold_7.mp4", "--label", "11"], naming: "--label", problem: "must be between 0 and 9")
        try assertFails(
            ["render", "manifold_7.mp4", "--fps", "0"], naming: "--fps", problem: "must be between 1 and 120")
        try assertFails(
            ["render", "manifold_7.mp4", "--size", "801"], naming: "--size", problem: "must be an even number")
        try assertFails(["render"], problem: "name an output file")
        try assertFails(
            ["export", "style-transfer", "--label", "x"], naming: "--label", problem: "must be between 0 and 9 or 'all'"
        )
        try assertFails(["export", "manifold", "--label", "-1"], naming: "--label", problem: "Missing value")
        // Ten sheets never go onto one file.
        try assertFails(
            ["export", "style-transfer", "--label", "all", "--out", dir + "/st.png"], naming: "--out",
            problem: "would hold one of many sheets")
    }

    /// export style-transfer --label all --out FOLDER writes the ten sheets into it by their names;
    /// a name with {label} is a pattern.
    func testTenSheetsGoIntoAFolderOrAPattern() throws {
        try requireMNIST()
        let folder = dir + "/sheets"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let r = try self.run(["export", "style-transfer", "--label", "all", "--out", folder, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted(),
            (0...9).map { "style_transfer_\($0).png" })
        let pattern = try self.run([
            "export", "style-transfer", "--label", "all", "--out", dir + "/st{label}.png", "--quiet"
        ])
        XCTAssertEqual(pattern.status, 0, pattern.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/st9.png"))
    }

    /// A user's whole path on a tiny run: train, render, export; then the errors a finished run
    /// can still give (no recording, unwritable output) leave no file behind.
    func testTrainRenderAndExportATinyRun() throws {
        try requireMNIST()
        let run = dir + "/run"
        let train = try self.run([
            "train-and-record", "--run", run, "--iterations", "4", "--batch-size", "8", "--snapshot-every", "3",
            "--quiet"
        ])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertEqual(train.stderr, "", "--quiet prints nothing")
        try assertFails(
            ["train-and-record", "--run", run, "--iterations", "4"], naming: run, problem: "already holds a run")

        let films = dir + "/films"
        try FileManager.default.createDirectory(atPath: films, withIntermediateDirectories: true)
        XCTAssertEqual(try self.run(["render", "--all", "--run", run, "--out-dir", films, "--quiet"]).status, 0)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: films).sorted(), (0..<10).map { "manifold_\($0).mp4" })
        XCTAssertEqual(try self.run(["render", dir + "/manifold_3.gif", "--run", run, "--quiet"]).status, 0)
        for export in [
            ["style-transfer", "--label", "all"], ["reconstructions"], ["manifold", "--label", "4"], ["z-scatter"],
            ["losses"], ["metrics"]
        ] {
            let r = try self.run(["export"] + export + ["--run", run, "--quiet"])
            XCTAssertEqual(r.status, 0, "\(export): \(r.stderr)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: run)
        XCTAssertEqual(names.filter { $0.hasPrefix("style_transfer_") }.count, 10)
        for name in [
            "reconstructions.png", "manifold_4_period1.png", "z_scatter_all_period1.png", "losses.png", "metrics.png"
        ] {
            XCTAssertTrue(names.contains(name), name)
        }

        // Snapshots are measured while training (the shipped classifier), one row each.
        let metrics = try String(contentsOfFile: run + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(
            metrics.first,
            "iteration,period,label_accuracy,sharpness_ratio,"
                + (0..<10).map { "accuracy_\($0)" }.joined(separator: ","))
        XCTAssertEqual(
            metrics.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }, ["0,0", "3,1"])

        let evaluation = try self.run(["evaluate", "--run", run, "--json", "--samples", "10", "--test-digits", "200"])
        XCTAssertEqual(evaluation.status, 0, evaluation.stderr)
        // The record reads back whole (every measure it must have); the optional ones are there too.
        let record = try EvaluationRecord.decoder().decode(EvaluationRecord.self, from: Data(evaluation.stdout.utf8))
        let report = record.report
        XCTAssertNotNil(report.reconstructionInkDeciles)
        // The article's inputs lie beyond the first 200 test digits: no sheet of them is measured.
        XCTAssertNil(report.sheetCarry)
        let carry = try XCTUnwrap(report.styleCarry)
        XCTAssertEqual(carry.columns, 200, "every one of the 200 test digits is an input of its label's sheet")
        XCTAssertEqual(record.iteration, 4)
        XCTAssertTrue((0...1).contains(report.randomAccuracy.overall))
        let again = try self.run(["evaluate", "--run", run, "--json", "--samples", "10", "--test-digits", "200"])
        XCTAssertEqual(again.stdout, evaluation.stdout, "evaluate is reproducible")
        let table = try self.run(["evaluate", "--run", run, "--samples", "10", "--test-digits", "200"])
        XCTAssertTrue(
            table.stdout.contains("label accuracy") && table.stdout.contains("Fréchet distance"), table.stdout)
        try assertFails(
            ["evaluate", "--run", run, "--classifier", dir + "/none.safetensors"], naming: dir + "/none.safetensors",
            problem: "no such file")
        try assertFails(
            ["evaluate", "--run", run, "--classifier", run + "/checkpoint.safetensors"],
            naming: run + "/checkpoint.safetensors",
            problem: "not a classifier file")
        try assertFails(
            ["evaluate", "--run", run, "--samples", "1"], naming: "--samples", problem: "must be between 2 and 10000")
        // Test digits 0 and 1 are a 7 and a 2: not one sheet's inputs.
        try assertFails(
            ["evaluate", "--run", run, "--inputs", "0,1", "--test-digits", "200"], problem: "are of two labels")
        try assertFails(
            ["evaluate", "--run", run, "--inputs", "0,,1"], naming: "--inputs",
            problem: "test indices separated by commas")
        let withInputs = try self.run(
            ["evaluate", "--run", run, "--json", "--samples", "10", "--test-digits", "200", "--inputs", "0,17,26,34"])
        XCTAssertEqual(withInputs.status, 0, withInputs.stderr)
        let sheetReport = try EvaluationRecord.decoder().decode(
            EvaluationRecord.self, from: Data(withInputs.stdout.utf8)
        ).report
        XCTAssertEqual(sheetReport.sheetInputs, [0, 17, 26, 34])
        XCTAssertEqual(sheetReport.sheetCarry?.columns, 4)

        try assertFails(
            ["render", dir + "/nowhere/manifold_7.mp4", "--run", run], naming: dir + "/nowhere",
            problem: "does not exist")
        try assertFails(
            ["export", "manifold", "--label", "2", "--period", "77", "--run", run], naming: "recording.vgr",
            problem: "has no snapshot of period 77")
        try assertFails(
            ["export", "losses", "--out", dir + "/losses.jpg", "--run", run], naming: "losses.jpg",
            problem: "write a .png file")
        try FileManager.default.removeItem(atPath: run + "/recording.vgr")
        try assertFails(["render", "manifold_7.mp4", "--run", run], naming: run, problem: "holds no recording yet")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/manifold_7.mp4"))
        XCTAssertFalse(
            try FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.hasSuffix(".tmp") },
            "no temporary files left")
    }

    func testVariantIsFiguresByDefaultAndKeptOnResume() throws {
        try assertFails(
            ["train-and-record", "--variant", "fancy"], naming: "--variant",
            problem: "one of 'printed', 'published' or 'figures'")
        try assertFails(
            ["train-and-record", "--snapshot-every", "0"], naming: "--snapshot-every",
            problem: "must be between 1 and 1000000")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "bad flags change nothing on disk")
        try requireMNIST()
        let run = dir + "/run"
        let train = try self.run(["train-and-record", "--run", run, "--iterations", "2", "--batch-size", "8", "--quiet"]
        )
        XCTAssertEqual(train.status, 0, train.stderr)
        let config = try String(contentsOfFile: run + "/config.json", encoding: .utf8)
        XCTAssertTrue(config.contains("\"variant\" : \"figures\""), config)
        XCTAssertFalse(config.contains("gamma"), "gamma follows from the variant and is not written: \(config)")
        try assertFails(
            ["train-and-record", "--run", run, "--resume", "--variant", "printed"], naming: "config.json",
            problem: "started with --variant figures")
        try assertFails(
            ["train-and-record", "--run", run, "--resume", "--snapshot-every", "7"], naming: "config.json",
            problem: "cannot switch it to --snapshot-every 7")
        let same = try self.run([
            "train-and-record", "--run", run, "--resume", "--variant", "figures", "--iterations", "3", "--quiet"
        ])
        XCTAssertEqual(same.status, 0, "naming the run's own variant is fine: \(same.stderr)")
    }

    /// --precision bf16 where oneDNN cannot run bf16 kernels (forced here by capping its
    /// instruction set, as an AVX2 machine has it) is one line naming what is missing, before
    /// anything is written; fp32 under the same cap trains. Where the CPU has bf16, a bf16 run
    /// records its precision and keeps it on --resume.
    func testPrecisionIsCheckedRecordedAndKept() throws {
        try assertFails(
            ["train-and-record", "--precision", "fp16"], naming: "--precision", problem: "one of 'fp32' and 'bf16'")
        let capped = ["ONEDNN_MAX_CPU_ISA": "AVX2", "DNNL_MAX_CPU_ISA": "AVX2"]
        let refused = try runCLI(
            ["train-and-record", "--run", dir + "/capped", "--precision", "bf16", "--iterations", "2"], in: dir,
            environment: capped)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--precision bf16 needs"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/capped"), "a refused run leaves nothing behind")
        let bench = try runCLI(["bench", "--precision", "bf16", "--repeats", "1"], in: dir, environment: capped)
        XCTAssertEqual(bench.status, 1, bench.stderr)
        XCTAssertTrue(bench.stderr.contains("--precision bf16 needs"), bench.stderr)
        try requireMNIST()
        let fp32 = try runCLI(
            ["train-and-record", "--run", dir + "/fp32", "--iterations", "2", "--batch-size", "8", "--quiet"], in: dir,
            environment: capped)
        XCTAssertEqual(fp32.status, 0, fp32.stderr)
        XCTAssertTrue(
            try String(contentsOfFile: dir + "/fp32/config.json", encoding: .utf8).contains("\"precision\" : \"fp32\""))
        try requireBF16()
        try assertSettingIsRecordedAndKept(flag: "--precision", key: "precision", value: "bf16", other: "fp32")
    }

    /// A run trained with `flag value` says so in config.json under `key`; --resume with `other`
    /// is refused in one line, and --resume without the flag goes on.
    func assertSettingIsRecordedAndKept(
        flag: String, key: String, value: String, other: String, line: UInt = #line
    ) throws {
        let run = dir + "/run"
        let train = try self.run([
            "train-and-record", "--run", run, flag, value, "--iterations", "2", "--batch-size", "8", "--quiet"
        ])
        XCTAssertEqual(train.status, 0, train.stderr, line: line)
        XCTAssertTrue(
            try String(contentsOfFile: run + "/config.json", encoding: .utf8).contains("\"\(key)\" : \"\(value)\""),
            line: line)
        try assertFails(
            ["train-and-record", "--run", run, "--resume", flag, other], naming: "config.json",
            problem: "started with \(flag) \(value)", line: line)
        let resumed = try self.run(["train-and-record", "--run", run, "--resume", "--iterations", "3", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr, line: line)
        XCTAssertEqual(try LossLog.read(path: run + "/losses.csv").count, 3, line: line)
    }

    /// --resume over a run whose files disagree refuses in one line and leaves every byte as it
    /// was: the checkpoint gone (it would train from 0 and cut the history), a header that claims
    /// more or fewer iterations than the log and the data position say, a flipped byte in an early
    /// snapshot, a recording cut in half, a recording that is not one. --keep-intact-snapshots
    /// goes on without the damaged snapshots, saying so.
    func testResumeNeverDestroysADamagedRun() throws {
        try requireMNIST()
        let run = dir + "/run"
        let train = try self.run([
            "train-and-record", "--run", run, "--iterations", "12", "--snapshot-every", "2", "--checkpoint-every", "6",
            "--batch-size", "8", "--quiet"
        ])
        XCTAssertEqual(train.status, 0, train.stderr)
        let recording = run + "/recording.vgr", checkpoint = run + "/checkpoint.safetensors"
        let files = ["recording.vgr", "losses.csv", "metrics.csv", "checkpoint.safetensors"]
        func contents() -> [String: Data?] {
            Dictionary(uniqueKeysWithValues: files.map { ($0, FileManager.default.contents(atPath: run + "/" + $0)) })
        }
        let whole = try Data(contentsOf: URL(fileURLWithPath: recording))
        let saved = try Data(contentsOf: URL(fileURLWithPath: checkpoint))

        try FileManager.default.removeItem(atPath: checkpoint)
        var before = contents()
        try assertFails(
            ["train-and-record", "--run", run, "--resume", "--iterations", "14"], naming: checkpoint,
            problem: "is missing, so --resume would start over")
        XCTAssertEqual(contents(), before, "a refused resume changes nothing")
        // A header that claims more iterations than the run logged.
        try saved.write(to: URL(fileURLWithPath: checkpoint))
        var (arrays, metadata) = try SafeTensors.read(path: checkpoint)
        metadata["iteration"] = "19"
        try SafeTensors.write(arrays, metadata: metadata, to: checkpoint)
        before = contents()
        try assertFails(
            ["train-and-record", "--run", run, "--resume", "--iterations", "24"], naming: checkpoint,
            problem: "says iteration 19, but losses.csv holds 12 rows")
        XCTAssertEqual(contents(), before, "a refused resume changes nothing")
        // Every reader of the checkpoint says so too, instead of naming iteration 19.
        try assertFails(
            ["export", "style-transfer", "--run", run, "--label", "3", "--out", dir + "/st.png"], naming: checkpoint,
            problem: "says iteration 19, but losses.csv holds 12 rows")
        // One that claims fewer: the rows are there, but the data position is that of iteration 12.
        metadata["iteration"] = "10"
        try SafeTensors.write(arrays, metadata: metadata, to: checkpoint)
        before = contents()
        try assertFails(
            ["train-and-record", "--run", run, "--resume", "--iterations", "24"], naming: checkpoint,
            problem: "says iteration 10, but its data position (epoch 0, batch")
        XCTAssertEqual(contents(), before, "a refused resume changes nothing")
        try saved.write(to: URL(fileURLWithPath: checkpoint))

        var flipped = whole
        flipped[whole.count / 3] ^= 0x40
        let half = Data(whole.prefix(whole.count / 2))
        var foreign = whole
        foreign[0] ^= 0xFF
        for (damage, says) in [
            (flipped, "intact snapshots of the"), (half, "intact snapshots of the"),
            (foreign, "not a vaegan-render recording")
        ] {
            try damage.write(to: URL(fileURLWithPath: recording))
            before = contents()
            try assertFails(
                ["train-and-record", "--run", run, "--resume", "--iterations", "14"], naming: recording, problem: says)
            XCTAssertEqual(contents(), before, "a refused resume changes nothing (\(says))")
        }
        // Asked to, a resume keeps the intact snapshots, says what it drops, and goes on.
        try half.write(to: URL(fileURLWithPath: recording))
        let intact = try RecordingFile.read(path: recording).snapshots.count
        let kept = try self.run([
            "train-and-record", "--run", run, "--resume", "--iterations", "14", "--keep-intact-snapshots", "--quiet"
        ])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertTrue(
            kept.stderr.hasPrefix(
                "warning: \(recording): keeping its \(intact) intact snapshots of the 6 taken before the checkpoint"),
            kept.stderr)
        XCTAssertTrue(kept.stderr.contains("periods \(intact) to 5 will be missing from the films"), kept.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: recording + ".damaged")), half)
        let after = try RecordingFile.read(path: recording)
        XCTAssertNil(after.problem)
        XCTAssertEqual(after.snapshots.map(\.period), Array(0..<intact) + [6])
        try assertFails(
            ["train-and-record", "--run", run, "--keep-intact-snapshots"], naming: "--keep-intact-snapshots",
            problem: "goes with --resume")

        try FileManager.default.removeItem(atPath: run)
        XCTAssertEqual(
            try self.run([
                "train-and-record", "--run", run, "--iterations", "12", "--snapshot-every", "2", "--checkpoint-every",
                "6", "--batch-size", "8", "--quiet"
            ]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: recording)), whole, "the same run again")
        let resumed = try self.run(["train-and-record", "--run", run, "--resume", "--iterations", "14", "--quiet"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try LossLog.read(path: run + "/losses.csv").count, 14)
    }

    /// `export weights` keeps a run's checkpoint weights as the shipped model's file: the same
    /// tensors, no optimiser state, and what made them; a plain CVAE's run and a wrong name are
    /// one line each.
    func testExportWeightsWritesTheShippedModelsFile() throws {
        try requireMNIST()
        let run = dir + "/run"
        for (folder, model) in [(run, "cvae-gan"), (dir + "/cvae", "cvae")] {
            let train = try self.run([
                "train-and-record", "--run", folder, "--model", model, "--iterations", "3", "--batch-size", "8",
                "--seed", "5", "--quiet"
            ])
            XCTAssertEqual(train.status, 0, train.stderr)
        }
        let out = dir + "/weights.safetensors"
        let export = try self.run(["export", "weights", "--run", run, "--out", out])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(export.stderr, "wrote \(out): 26 tensors, iteration 3\n")
        let (weights, metadata) = try SafeTensors.read(path: out)
        let (checkpoint, _) = try SafeTensors.read(path: run + "/checkpoint.safetensors")
        XCTAssertEqual(weights, checkpoint.filter { $0.key.hasSuffix(".kernel") || $0.key.hasSuffix(".bias") })
        XCTAssertEqual(
            metadata,
            [
                "format": "vaegan-render weights", "iteration": "3", "model.latent_dim": "8",
                "model.variant": "figures",
                "made_by":
                    "train-and-record --preset default --seed 5 --dropout-masks shared (threads "
                    + "\(ProcessInfo.processInfo.activeProcessorCount))"
            ])
        try assertFails(
            ["export", "weights", "--run", dir + "/cvae", "--out", out], naming: dir + "/cvae/config.json",
            problem: "is a run of the plain CVAE")
        try assertFails(
            ["export", "weights", "--run", run, "--out", dir + "/w.png"], naming: "--out",
            problem: "a .safetensors file")
    }

    /// --dropout-masks is recorded in config.json, kept by --resume, and another value refused.
    func testDropoutMasksAreRecordedAndKept() throws {
        try requireMNIST()
        try assertSettingIsRecordedAndKept(
            flag: "--dropout-masks", key: "dropoutMasks", value: "independent", other: "shared")
        try assertFails(
            ["train-and-record", "--run", dir + "/other", "--dropout-masks", "tied"], naming: "--dropout-masks",
            problem: "independent")
    }

    /// A run trained by a build before engine revisions (its checkpoint names none) is refused
    /// --resume in one line; it still renders.
    func testResumeOfARunFromAnEarlierEngineIsRefused() throws {
        try requireMNIST()
        let run = dir + "/run"
        let train = try self.run(["train-and-record", "--run", run, "--iterations", "2", "--batch-size", "8", "--quiet"]
        )
        XCTAssertEqual(train.status, 0, train.stderr)
        let checkpoint = run + "/checkpoint.safetensors"
        var (arrays, metadata) = try SafeTensors.read(path: checkpoint)
        metadata["engine.revision"] = nil
        try SafeTensors.write(arrays, metadata: metadata, to: checkpoint)
        try assertFails(
            ["train-and-record", "--run", run, "--resume", "--iterations", "4"], naming: checkpoint,
            problem: "written by engine revision 1, and this program computes with revision")
        XCTAssertEqual(try LossLog.read(path: run + "/losses.csv").count, 2, "nothing was trained")
        let export = try self.run(["export", "style-transfer", "--run", run, "--out", dir + "/st.png", "--quiet"])
        XCTAssertEqual(export.status, 0, export.stderr)
    }

    func testBadRenderAndReportArguments() throws {
        try assertFails(["render", "all.mp4", "--label", "3"], naming: "all.mp4", problem: "drop --label")
        try assertFails(
            ["render", "walk.mp4", "--label", "12"], naming: "--label", problem: "must be between 0 and 9 or 'all'")
        try assertFails(["render", "walk.mp4", "--seconds", "0"], naming: "--seconds", problem: "must be more than 0")
        try assertFails(["render", "all.mp4", "--out-dir", dir], naming: "--out-dir", problem: "goes with --all")
        try assertFails(
            ["report", "--run", dir + "/missing"], naming: dir + "/missing", problem: "no such run directory")
        try FileManager.default.createDirectory(atPath: dir + "/foreign", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/foreign/notes.txt"))
        try assertFails(
            ["report", "--run", dir + "/foreign"], naming: dir + "/foreign",
            problem: "not a vaegan-render run directory")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/foreign"), ["notes.txt"])

        try requireMNIST()
        let run = dir + "/run"
        let train = try self.run([
            "train-and-record", "--run", run, "--iterations", "4", "--batch-size", "8", "--snapshot-every", "1",
            "--quiet"
        ])
        XCTAssertEqual(train.status, 0, train.stderr)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/afile"))
        try assertFails(
            ["report", "--run", run, "--out", dir + "/afile"], naming: dir + "/afile",
            problem: "names a file, not a folder")
        try assertFails(
            ["report", "--run", run, "--out", dir + "/afile/report"], naming: dir + "/afile/report",
            problem: "cannot create the report folder")

        // A torn tail: the intact snapshots are reported, with a warning.
        let recording = run + "/recording.vgr"
        let whole = try Data(contentsOf: URL(fileURLWithPath: recording))
        try whole.prefix(whole.count - 100).write(to: URL(fileURLWithPath: recording))
        let torn = try self.run(["report", "--run", run, "--out", dir + "/torn"])
        XCTAssertEqual(torn.status, 0, torn.stderr)
        XCTAssertTrue(torn.stderr.contains("using the 3 intact snapshots, skipped 1"), torn.stderr)
        XCTAssertTrue(
            try String(contentsOfFile: dir + "/torn/index.html", encoding: .utf8).contains(
                "const snapshotIterations = [0, 1, 2];"))

        // A recording that is not one: one line naming it, and no page.
        try Data(repeating: 7, count: 64).write(to: URL(fileURLWithPath: recording))
        try assertFails(
            ["report", "--run", run, "--out", dir + "/garbage"], naming: "recording.vgr",
            problem: "not a vaegan-render recording")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir + "/garbage/index.html"), "no page for a damaged recording")
    }

    func testBadFlagsOfTrainClassifierAndEvaluate() throws {
        try assertFails(["train-classifier", "--epochs", "0"], naming: "--epochs", problem: "must be between 1 and 100")
        try assertFails(
            ["train-classifier", "--batch-size", "0"], naming: "--batch-size", problem: "must be between 1 and 10000")
        try assertFails(
            ["train-classifier", "--learning-rate", "3"], naming: "--learning-rate", problem: "must be in (0, 1)")
        try assertFails(
            ["train-classifier", "--threads", "0"], naming: "--threads", problem: "must be between 1 and 256")
        try assertFails(
            ["train-classifier", "--out", "weights.bin"], naming: "--out", problem: "write a .safetensors file")
        try assertFails(
            ["train-classifier", "--out", dir + "/nowhere/c.safetensors"], naming: dir + "/nowhere",
            problem: "does not exist")
        try assertFails(
            ["evaluate", "--run", dir + "/missing"], naming: dir + "/missing", problem: "no such run directory")
        try assertFails(["evaluate", "--test-digits", "5"], naming: "--test-digits", problem: "must be at least 100")
        try assertFails(
            ["export", "metrics", "--run", dir + "/missing"], naming: dir + "/missing", problem: "no such run directory"
        )
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "bad flags change nothing on disk")
    }

    /// --keep-intact-snapshots over one damaged record in the middle of seven keeps the six
    /// intact ones (it kept the two before it), says which period it drops, and keeps the file as
    /// it was aside as recording.vgr.damaged, never over an earlier one. The next resume needs no
    /// flag, and the films say that the period is missing.
    func testKeepIntactSnapshotsKeepsEveryIntactRecord() throws {
        try requireMNIST()
        let run = dir + "/run", recording = dir + "/run/recording.vgr"
        let train = try self.run([
            "train-and-record", "--run", run, "--iterations", "14", "--snapshot-every", "2", "--checkpoint-every", "7",
            "--batch-size", "8", "--quiet"
        ])
        XCTAssertEqual(train.status, 0, train.stderr)
        var damaged = try Data(contentsOf: URL(fileURLWithPath: recording))
        let ends = try RecordingFile.read(path: recording).recordEnds
        XCTAssertEqual(ends.count, 7)
        damaged[ends[1] + 300] ^= 0x01  // a payload byte of record 3 (period 2)
        try damaged.write(to: URL(fileURLWithPath: recording))
        try assertFails(
            ["train-and-record", "--run", run, "--resume", "--iterations", "16"], naming: recording,
            problem: "holds 6 intact snapshots of the 7 taken before the checkpoint")
        let kept = try self.run([
            "train-and-record", "--run", run, "--resume", "--iterations", "16", "--keep-intact-snapshots", "--quiet"
        ])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertTrue(
            kept.stderr.hasPrefix("warning: \(recording): keeping its 6 intact snapshots of the 7 taken"), kept.stderr)
        XCTAssertTrue(kept.stderr.contains("period 2 will be missing from the films"), kept.stderr)
        XCTAssertTrue(kept.stderr.contains("kept as \(recording).damaged"), kept.stderr)
        XCTAssertEqual(try RecordingFile.read(path: recording).snapshots.map(\.period), [0, 1, 3, 4, 5, 6, 7])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: recording + ".damaged")), damaged)
        // The gap was dropped knowingly: the next resume goes on without the flag.
        let next = try self.run(["train-and-record", "--run", run, "--resume", "--iterations", "18", "--quiet"])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(try RecordingFile.read(path: recording).snapshots.map(\.period), [0, 1, 3, 4, 5, 6, 7, 8])
        // The films skip the missing period, saying so; every frame is its own snapshot's.
        let films = try self.run(["render", "--all", "--run", run])
        XCTAssertEqual(films.status, 0, films.stderr)
        XCTAssertTrue(films.stderr.contains("period 2 is missing"), films.stderr)
        // Damaged again (the record of period 5): the earlier .damaged is kept, the new one goes
        // beside it.
        var again = try Data(contentsOf: URL(fileURLWithPath: recording))
        let period5 = try RecordingFile.read(path: recording).recordEnds.dropFirst(3).first
        again[try XCTUnwrap(period5, "the recording holds four records or more") + 300] ^= 0x01
        try again.write(to: URL(fileURLWithPath: recording))
        let second = try self.run([
            "train-and-record", "--run", run, "--resume", "--iterations", "20", "--keep-intact-snapshots", "--quiet"
        ])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: recording + ".damaged")), damaged)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: recording + ".damaged.2")), again)
        XCTAssertEqual(
            try RecordingFile.read(path: recording).snapshots.map(\.period), [0, 1, 3, 4, 6, 7, 8, 9])
    }

    /// render --all --out-dir makes its folder, as tools of this kind do.
    func testRenderAllMakesItsOutDir() throws {
        try requireMNIST()
        let run = dir + "/run"
        let train = try self.run([
            "train-and-record", "--run", run, "--iterations", "2", "--snapshot-every", "1", "--batch-size", "8",
            "--quiet"
        ])
        XCTAssertEqual(train.status, 0, train.stderr)
        let films = try self.run(["render", "--all", "--run", run, "--out-dir", dir + "/films/new", "--quiet"])
        XCTAssertEqual(films.status, 0, films.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/films/new/manifold_7.mp4"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file"))
        try assertFails(
            ["render", "--all", "--run", run, "--out-dir", dir + "/file/films"], naming: dir + "/file/films",
            problem: "cannot create the folder")
    }

    func testARunDirectoryThatCannotBeCreated() throws {
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file"))
        try assertFails(
            ["train-and-record", "--run", dir + "/file/run", "--iterations", "1"], naming: dir + "/file/run",
            problem: "cannot create the run directory: " + dir + "/file is a file")
    }
}

/// Run the built `vaegan-render` in `dir`; its exit status and what it printed.
@discardableResult
/// Run the program in `dir`, with this process's environment plus `environment`, less `removing`.
func runCLI(_ args: [String], in dir: String, environment: [String: String] = [:], removing: [String] = []) throws -> (
    status: Int32, stdout: String, stderr: String
) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
    p.arguments = args
    if !environment.isEmpty || !removing.isEmpty {
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter {
            !removing.contains($0.key)
        }
    }
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}
