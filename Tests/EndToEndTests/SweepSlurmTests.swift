import Foundation
import RunFolder
import Sweep
import TestSupport
import XCTest

/// `sweep --on slurm` against a real Slurm: the one-node cluster scripts/slurm/local.sh starts
/// (scripts/test.sh starts it and sets SLURM_CONF). Three tiny runs go in as a job array; one task
/// is cancelled with scancel partway and requeued; it resumes its run, and every run ends with
/// the bytes of the same sweep made on this machine without Slurm.
final class SweepSlurmTests: XCTestCase {
    static let grid = [
        "--seeds", "0,1,2", "--iterations", "60", "--snapshot-every", "10", "--batch-size", "16", "--threads", "1",
        "--eval-samples", "10", "--eval-test-digits", "100"
    ]

    struct Hang: Error, CustomStringConvertible {
        let what: String
        var description: String { "hang guard: still waiting for \(what)" }
    }

    /// Poll `condition` until it holds; a guard against a hang, never a measure of speed.
    func waitFor(_ what: String, hangGuard: TimeInterval = 900, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(hangGuard)
        while try !condition() {
            guard Date() < deadline else { throw Hang(what: what) }
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    @discardableResult
    func slurm(_ tool: String, _ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    /// What squeue says of task `task` of `job` ("RUNNING", "PENDING", ...), "" once it has left.
    func queued(_ job: String, task: Int) throws -> String {
        try slurm("squeue", ["-h", "-r", "-j", job, "-o", "%K %T"]).out.split(separator: "\n")
            .first { $0.hasPrefix("\(task) ") }.map { String($0.split(separator: " ")[1]) } ?? ""
    }

    func testAJobArrayTrainsEveryPointAndACancelledTaskResumes() throws {
        try requireMNIST()
        try requireTool(
            ProcessInfo.processInfo.environment["SLURM_CONF"] != nil,
            "a running Slurm (SLURM_CONF; scripts/test.sh starts one with scripts/slurm/local.sh)")
        let dir = try tempDir("sweep-slurm")
        let local = try runCLI(["sweep", "local"] + Self.grid + ["--quiet"], in: dir)
        XCTAssertEqual(local.status, 0, local.stderr)

        let submitted = try runCLI(["sweep", "slurm"] + Self.grid + ["--on", "slurm"], in: dir)
        XCTAssertEqual(submitted.status, 0, submitted.stderr)
        let job = try XCTUnwrap(try SweepPlan.read(from: dir + "/slurm")?.slurmJob)
        XCTAssertTrue(submitted.stderr.contains("submitted job \(job), 3 tasks"), submitted.stderr)

        // Task 1 partway: its run is training past iteration 5. Cancel it; its run stops.
        let run = RunDirectory(dir + "/slurm/runs/seed-1")
        try waitFor("task 1 to train") {
            guard let p = TrainingProgress.read(run) else { return false }
            return p.state == .training && p.iteration >= 5
        }
        XCTAssertEqual(try slurm("scancel", ["\(job)_1"]).status, 0)
        try waitFor("the cancelled task to leave the queue") { try queued(job, task: 1).isEmpty }
        var status = try runCLI(["sweep", "slurm", "--status"], in: dir).stdout
        XCTAssertTrue(status.contains("1  seed-1  stopped at iteration"), status)

        // Requeued, and made eligible now rather than after Slurm's requeue delay, it resumes.
        XCTAssertEqual(try slurm("scontrol", ["requeue", "\(job)_1"]).status, 0)
        try waitFor("the requeued task to be pending") { try queued(job, task: 1) == "PENDING" }
        XCTAssertEqual(try slurm("scontrol", ["update", "JobId=\(job)_1", "StartTime=now"]).status, 0)
        try waitFor("every run to be done") {
            status = try runCLI(["sweep", "slurm", "--status"], in: dir).stdout
            return status.contains("sweep: 3 done")
        }
        let log = try String(contentsOfFile: dir + "/slurm/slurm/\(job)_1.out", encoding: .utf8)
        XCTAssertTrue(log.contains("seed-1: resuming at iteration"), log)
        for seed in 0..<3 {
            for file in SweepCommandTests.trainedFiles {
                XCTAssertEqual(
                    FileManager.default.contents(atPath: "\(dir)/slurm/runs/seed-\(seed)/\(file)"),
                    FileManager.default.contents(atPath: "\(dir)/local/runs/seed-\(seed)/\(file)"),
                    "seed-\(seed)/\(file)")
            }
        }
    }
}
