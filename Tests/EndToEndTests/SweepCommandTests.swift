import Comparison
import Evaluation
import Foundation
import RunFolder
import TestSupport
import XCTest

/// `sweep` on this machine and `compare`, end to end: every point trained and evaluated once, a
/// stopped run resumed to the same bytes as one never stopped, the table's numbers against the
/// runs' own evaluation.json, and the page in Chromium.
final class SweepCommandTests: XCTestCase {
    /// Four tiny runs: two seeds of two variants.
    static let grid = [
        "--seeds", "0,1", "--variants", "figures,published", "--iterations", "6", "--snapshot-every", "2",
        "--batch-size", "16", "--threads", "1", "--eval-samples", "10", "--eval-test-digits", "100"
    ]
    static let names = [
        "variant-figures_seed-0", "variant-figures_seed-1", "variant-published_seed-0", "variant-published_seed-1"
    ]
    /// The files whose bytes a run's training decides (sessions.csv and progress.json hold wall-clock times).
    static let trainedFiles = ["checkpoint.safetensors", "recording.vgr", "losses.csv", "metrics.csv"]

    func testALocalSweepRunsEachPointOnceAndResumesAStoppedOne() throws {
        try requireMNIST()
        let dir = try tempDir("sweep")
        let first = try runCLI(["sweep", "a"] + Self.grid, in: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("sweep: 4 done, 0 running, 0 left"), first.stderr)
        XCTAssertEqual(first.stdout, "", "evaluate's tables stay in the run folders")
        let sessions = try Self.names.map {
            try String(contentsOfFile: "\(dir)/a/runs/\($0)/sessions.csv", encoding: .utf8)
        }

        // Again: nothing is trained or evaluated twice.
        let again = try runCLI(["sweep", "a"], in: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertFalse(again.stderr.contains("training") || again.stderr.contains("evaluating"), again.stderr)
        XCTAssertEqual(
            try Self.names.map { try String(contentsOfFile: "\(dir)/a/runs/\($0)/sessions.csv", encoding: .utf8) },
            sessions)
        let status = try runCLI(["sweep", "a", "--status"], in: dir)
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("sweep: 4 done, 0 running, 0 trained, 0 stopped, 0 left"), status.stdout)

        // A sweep whose first run stopped at iteration 3 of 6 (as Ctrl-C or a cancelled task
        // leaves it) resumes that run and ends with the bytes of the sweep that never stopped.
        let stopped = "\(dir)/b/runs/\(Self.names[0])"
        let partial = try runCLI(
            [
                "train-and-record", "--run", stopped, "--variant", "figures", "--seed", "0", "--iterations", "3",
                "--snapshot-every", "2", "--batch-size", "16", "--threads", "1", "--quiet"
            ], in: dir)
        XCTAssertEqual(partial.status, 0, partial.stderr)
        let config = stopped + "/config.json"
        try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "\"iterations\" : 3", with: "\"iterations\" : 6")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let resumed = try runCLI(["sweep", "b"] + Self.grid, in: dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("\(Self.names[0]): resuming at iteration 3 of 6"), resumed.stderr)
        assertSameRuns(dir + "/b", dir + "/a")

        // With --threads 1 the first sweep ran as many points at once as there are cores; one at
        // a time gives the same runs, byte for byte.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if cores > 1 {
            XCTAssertTrue(first.stderr.contains("sweep: \(min(cores, 4)) points at once, 1 thread each"), first.stderr)
        }
        let serial = try runCLI(["sweep", "c", "--jobs", "1"] + Self.grid, in: dir)
        XCTAssertEqual(serial.status, 0, serial.stderr)
        XCTAssertFalse(serial.stderr.contains("at once"), serial.stderr)
        XCTAssertTrue(serial.stderr.contains("sweep: 4 done, 0 running, 0 left"), serial.stderr)
        assertSameRuns(dir + "/c", dir + "/a")
        for name in Self.names {
            // The evaluations too, but for the run's path that each names.
            let evaluation = { (sweep: String) in
                try String(contentsOfFile: "\(dir)/\(sweep)/runs/\(name)/evaluation.json", encoding: .utf8)
                    .replacingOccurrences(of: "\\/\(sweep)\\/runs", with: "")
            }
            XCTAssertEqual(try evaluation("c"), try evaluation("a"), name)
        }

        // The table: a row per variant, each measure the mean of its two seeds' evaluations.
        let compare = try runCLI(["compare", "a", "--json", "--quiet"], in: dir)
        XCTAssertEqual(compare.status, 0, compare.stderr)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let table = try decoder.decode(SweepComparison.self, from: Data(compare.stdout.utf8))
        XCTAssertEqual(table.axes, ["variant"])
        XCTAssertEqual(table.seeds, ["0", "1"])
        XCTAssertEqual(table.settings.map { $0.values["variant"] }, ["figures", "published"])
        for (s, variant) in zip(table.settings, ["figures", "published"]) {
            let spreads = try (0..<2).map { seed -> Double in
                let run = RunDirectory("\(dir)/a/runs/variant-\(variant)_seed-\(seed)")
                return try XCTUnwrap(EvaluationRecord.read(run), run.path).report.styleSpreadRatio
            }
            let measured = try XCTUnwrap(s.measures["style spread"])
            XCTAssertEqual(measured.n, 2)
            XCTAssertEqual(measured.mean, (spreads[0] + spreads[1]) / 2, accuracy: 1e-12)
            XCTAssertEqual(measured.sd, abs(spreads[0] - spreads[1]) / 2.0.squareRoot(), accuracy: 1e-12)
        }
        let csv = try String(contentsOfFile: "\(dir)/a/compare/compare.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 3, "a header and a row per variant")
        XCTAssertTrue(csv[0].hasPrefix("variant,runs,"), String(csv[0]))

        let browser = try Chromium(width: 1280, height: 900)
        try browser.open(URL(fileURLWithPath: "\(dir)/a/compare/index.html").absoluteString)
        let page = try XCTUnwrap(
            browser.evaluate(
                """
                (async () => {
                  const images = Array.from(document.images);
                  await Promise.all(images.map(i => i.complete ? 0 : new Promise(r => { i.onload = r; i.onerror = r; })));
                  return { rows: document.querySelectorAll('#comparison tbody tr').length,
                           images: images.length, broken: images.filter(i => !(i.naturalWidth > 0)).map(i => i.src) };
                })()
                """) as? [String: Any])
        XCTAssertEqual(page["rows"] as? Int, 2)
        XCTAssertEqual(page["images"] as? Int, 5 + 2 * 4, "five curves, a sheet and a manifold per run")
        XCTAssertEqual((page["broken"] as? [String])?.count, 0, "\(page)")
        XCTAssertEqual(browser.problems, [])
    }

    /// Every point of sweep `x` trained the same bytes as in sweep `y`.
    func assertSameRuns(_ x: String, _ y: String, line: UInt = #line) {
        for name in Self.names {
            for file in Self.trainedFiles {
                XCTAssertEqual(
                    FileManager.default.contents(atPath: "\(x)/runs/\(name)/\(file)"),
                    FileManager.default.contents(atPath: "\(y)/runs/\(name)/\(file)"), "\(name)/\(file)", line: line)
            }
        }
    }

    /// Each bad request is one line naming the flag or folder, and exit status 1.
    func testBadInputIsOneLine() throws {
        let dir = try tempDir("sweep-bad")
        for (args, phrase) in [
            (["sweep", "s", "--seeds", ""], "--seeds needs one or more different values"),
            (["sweep", "s", "--seeds", "1,1"], "--seeds needs one or more different values"),
            (["sweep", "s", "--variants", "../x"], "not a value a run folder can be named by"),
            (["sweep", "s", "--seeds", "1", "--on", "moon"], "'moon' is invalid for '--on <where>'"),
            (["sweep", "s", "--seeds", "1", "--jobs", "0"], "--jobs must be"),
            (["sweep", "s", "--seeds", "1", "--on", "slurm", "--jobs", "2"], "--jobs is for --on local"),
            (["sweep", "s", "--seeds", "1", "--sbatch=--time=1"], "--sbatch is for --on slurm"),
            (["sweep", "s"], "holds no sweep yet"),
            (["sweep", "s", "--status"], "holds no sweep"),
            (["sweep", "s", "--status", "--seeds", "1"], "give no grid flags with them"),
            (["compare", "s"], "holds no sweep"),
            (["compare", "s", "--label", "12"], "holds no sweep"),
            // Every point is checked as train-and-record checks it, before anything is written;
            // the error names the sweep's own flag.
            (["sweep", "s", "--variants", "figures,figurs"], "'figurs' is invalid for '--variants"),
            (["sweep", "s", "--seeds", "a,b"], "'a' is invalid for '--seeds"),
            (["sweep", "s", "--presets", "nope"], "'nope' is invalid for '--presets"),
            (["sweep", "s", "--latent-dims", "0"], "--latent-dims must be between 2 and 256"),
            (["sweep", "s", "--latent-dims", "2,1000"], "--latent-dims must be between 2 and 256"),
            (["sweep", "s", "--seeds", "0,,1"], "--seeds has an empty item"),
            (["sweep", "s", "--models", "cvae,vae"], "'vae' is invalid for '--models")
        ] {
            let r = try runCLI(args, in: dir)
            XCTAssertEqual(r.status, 1, "\(args)")
            XCTAssertTrue(r.stderr.contains(phrase), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/s"), "a refused sweep writes nothing")
        // A sweep of two seeds refuses an index outside them and other settings.
        try FileManager.default.createDirectory(atPath: dir + "/t", withIntermediateDirectories: true)
        try
            #"{"format":"vaegan-render sweep","version":1,"axes":[{"flag":"seed","values":["0","1"]}],"common":[],"evaluate":[],"points":[{"name":"seed-0","values":{"seed":"0"}},{"name":"seed-1","values":{"seed":"1"}}]}"#
            .write(toFile: dir + "/t/sweep.json", atomically: true, encoding: .utf8)
        // A sweep that started a point keeps its settings; one that never did is replaced.
        try FileManager.default.createDirectory(atPath: dir + "/t/runs/seed-0", withIntermediateDirectories: true)
        for (args, phrase) in [
            (["sweep", "t", "--point", "2"], "--point 2 is outside the sweep's 0-1"),
            (["sweep", "t", "--seeds", "5"], "holds a sweep of other settings")
        ] {
            let r = try runCLI(args, in: dir)
            XCTAssertEqual(r.status, 1, "\(args)")
            XCTAssertTrue(r.stderr.contains(phrase), "\(args): \(r.stderr)")
        }
        try FileManager.default.removeItem(atPath: dir + "/t/runs")
        let replaced = try runCLI(
            [
                "sweep", "t", "--seeds", "5", "--iterations", "1", "--batch-size", "8", "--threads", "1",
                "--eval-samples", "2", "--eval-test-digits", "100", "--quiet"
            ], in: dir)
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(try String(contentsOfFile: dir + "/t/sweep.json", encoding: .utf8).contains("seed-5"))
    }
}
