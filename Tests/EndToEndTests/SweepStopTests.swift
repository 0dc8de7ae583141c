import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A sweep stopped the hard way (issue 56): killed with SIGKILL, its points' processes end with
/// it instead of training on as orphans; stopped with SIGTERM, the running points stop at a
/// checkpoint within seconds and the message names them; a rerun never says "done" while a point
/// is unevaluated.
final class SweepStopTests: XCTestCase {
    /// Long enough to be caught training: three seeds, two at a time.
    static let grid = [
        "--seeds", "0,1,2", "--iterations", "3000", "--snapshot-every", "1000", "--batch-size", "16", "--threads", "1",
        "--jobs", "2", "--eval-samples", "10", "--eval-test-digits", "100"
    ]

    /// Start the program in `dir`, its stderr into `log` (or nowhere).
    func start(_ args: [String], in dir: String, log: String? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        if let log {
            FileManager.default.createFile(atPath: log, contents: nil)
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        } else {
            p.standardError = FileHandle.nullDevice
        }
        try p.run()
        return p
    }

    /// The pids that the points' progress.json files name while they train.
    func trainingPids(_ sweep: String) -> [Int32] {
        let runs = sweep + "/runs"
        return ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: "\(runs)/\(name)/progress.json"),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                json["state"] as? String == "training", let pid = json["pid"] as? Int
            else { return nil }
            return Int32(pid)
        }
    }

    /// Whether `pid` is a live process (a zombie is not).
    func alive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return !stat[close...].dropFirst(2).hasPrefix("Z")
    }

    func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            usleep(50_000)
        }
        return true
    }

    /// SIGKILL to a sweep: its points stop too (at a checkpoint), and none trains on as an orphan.
    func testAKilledSweepTakesItsPointsWithIt() throws {
        try requireMNIST()
        let dir = try tempDir("sweep-kill")
        let sweep = try start(["sweep", "k"] + Self.grid, in: dir)
        XCTAssertTrue(waitFor(120) { trainingPids(dir + "/k").count == 2 }, "two points training")
        let pids = trainingPids(dir + "/k")
        kill(sweep.processIdentifier, SIGKILL)
        sweep.waitUntilExit()
        XCTAssertTrue(waitFor(15) { !pids.contains(where: alive) }, "the points end with their sweep: \(pids)")
        for pid in pids where alive(pid) { kill(pid, SIGKILL) }
        let status = try runCLI(["sweep", "k", "--status"], in: dir)
        XCTAssertTrue(status.stdout.contains("sweep: 0 done, 0 running, 0 trained, 2 stopped, 1 left"), status.stdout)
    }

    /// SIGTERM to a sweep reaches its running points, which stop at a checkpoint within seconds;
    /// the sweep names them, not the point that never started.
    func testSIGTERMStopsTheRunningPointsAtACheckpoint() throws {
        try requireMNIST()
        let dir = try tempDir("sweep-term")
        let log = dir + "/stderr.txt"
        let p = try start(["sweep", "t"] + Self.grid, in: dir, log: log)
        XCTAssertTrue(waitFor(120) { trainingPids(dir + "/t").count == 2 }, "two points training")
        let pids = trainingPids(dir + "/t")
        kill(p.processIdentifier, SIGTERM)
        let stopped = waitFor(10) { !p.isRunning }
        XCTAssertTrue(stopped, "stopped within seconds")
        if !stopped {
            kill(p.processIdentifier, SIGKILL)
            for pid in pids { kill(pid, SIGKILL) }
        }
        p.waitUntilExit()
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        XCTAssertEqual(p.terminationStatus, 130, said)
        XCTAssertTrue(waitFor(5) { !pids.contains(where: alive) }, "the points ended")
        let last = said.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.hasPrefix("sweep: stopped during seed-0, seed-1;"), said)
        XCTAssertFalse(last.contains("seed-2"), "seed-2 never started: \(said)")
        let status = try runCLI(["sweep", "t", "--status"], in: dir)
        XCTAssertTrue(status.stdout.contains("sweep: 0 done, 0 running, 0 trained, 2 stopped, 1 left"), status.stdout)
    }

    /// A point that another process trains is left to it, and the sweep says so at the end
    /// instead of "all runs done".
    func testARerunNeverSaysDoneWhileAPointIsUnevaluated() throws {
        try requireMNIST()
        let dir = try tempDir("sweep-left")
        let small = [
            "--seeds", "0,1", "--iterations", "4", "--snapshot-every", "2", "--batch-size", "16", "--threads", "1",
            "--jobs", "1", "--eval-samples", "10", "--eval-test-digits", "100"
        ]
        // Seed 1's run trained by hand, slowly enough to be caught training.
        let other = try start(
            [
                "train-and-record", "--run", "l/runs/seed-1", "--seed", "1", "--iterations", "3000", "--snapshot-every",
                "1000", "--batch-size", "16", "--threads", "1", "--quiet"
            ], in: dir)
        defer {
            if other.isRunning { kill(other.processIdentifier, SIGKILL) }
            other.waitUntilExit()
        }
        XCTAssertTrue(waitFor(120) { trainingPids(dir + "/l").count == 1 }, "seed-1 training")
        let sweep = try runCLI(["sweep", "l"] + small, in: dir)
        XCTAssertEqual(sweep.status, 1, sweep.stderr)
        XCTAssertFalse(sweep.stderr.contains("runs done"), sweep.stderr)
        XCTAssertTrue(
            sweep.stderr.contains("sweep: 1 of 2 runs not done: seed-1 (running, iteration"), sweep.stderr)
    }
}
