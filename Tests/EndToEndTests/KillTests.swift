import Foundation
import TestSupport
import XCTest

/// SIGKILL at 20 moments of a run, resuming after each: the finished run's checkpoint, recording
/// and loss log are byte-identical to those of a run that was never stopped.
final class KillTests: XCTestCase {
    func testKilledAndResumedTwentyTimesEqualsAnUnbrokenRun() throws {
        try requireMNIST()
        let dir = try tempDir("kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common = ["--iterations", "12", "--snapshot-every", "3", "--batch-size", "8", "--checkpoint-every", "1", "--seed", "5",
                      "--threads", "2", "--quiet"]

        func start(_ args: [String]) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
            p.arguments = args
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }

        let t0 = Date()
        let reference = try start(["train-and-record", "--run", dir + "/reference"] + common)
        reference.waitUntilExit()
        XCTAssertEqual(reference.terminationStatus, 0)
        let duration = Date().timeIntervalSince(t0)

        var kills = 0, finishedEarly = 0, killsWhileTraining = 0
        for k in 0..<20 {
            let resuming = FileManager.default.fileExists(atPath: dir + "/killed/config.json")
            if resuming { killsWhileTraining += 1 }
            let p = try start(["train-and-record", "--run", dir + "/killed"] + common + (resuming ? ["--resume"] : []))
            // Moments spread over a run's length, from start-up to well into training.
            let delay = duration * (0.04 + 0.14 * Double((k * 7) % 20) / 20)
            Thread.sleep(forTimeInterval: delay)
            if p.isRunning { kill(p.processIdentifier, SIGKILL); kills += 1 } else { finishedEarly += 1 }
            p.waitUntilExit()
        }
        let last = try runCLI(["train-and-record", "--run", dir + "/killed", "--resume"] + common, in: dir)
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertGreaterThanOrEqual(kills, 15, "most attempts must land during the run (\(finishedEarly) finished first)")
        XCTAssertGreaterThanOrEqual(killsWhileTraining, 10, "most kills must hit a run that has started (\(killsWhileTraining) did)")
        for file in ["checkpoint.safetensors", "recording.vgr", "losses.csv", "metrics.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/reference/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/killed/" + file))
            XCTAssertEqual(a, b, "\(file) differs after \(kills) kills")
        }
    }
}
