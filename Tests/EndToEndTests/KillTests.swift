import Foundation
import TestSupport
import XCTest

/// SIGKILL at 20 moments of a run, each placed by an event the run itself reports (its lock taken,
/// a snapshot appended, a checkpoint's loss rows written), resuming after each: the finished run's
/// checkpoint, recording and loss log are byte-identical to those of a run that was never stopped.
final class KillTests: XCTestCase {
    func testKilledAndResumedTwentyTimesEqualsAnUnbrokenRun() throws {
        try requireMNIST()
        let dir = try tempDir("kill")
        let common = [
            "--iterations", "30", "--snapshot-every", "3", "--batch-size", "8", "--checkpoint-every", "1", "--seed",
            "5",
            "--threads", "2", "--quiet"
        ]

        func start(_ args: [String]) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
            p.arguments = args
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        let reference = try start(["train-and-record", "--run", dir + "/reference"] + common)
        reference.waitUntilExit()
        XCTAssertEqual(reference.terminationStatus, 0)

        let run = dir + "/killed"
        func size(_ file: String) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: run + "/" + file))?[.size] as? Int) ?? 0
        }
        func lossRows() -> Int {
            ((try? String(contentsOfFile: run + "/losses.csv", encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        func lockHolder() -> String {
            ((try? String(contentsOfFile: run + "/lock", encoding: .utf8)) ?? "").trimmingCharacters(
                in: .whitespacesAndNewlines)
        }

        var kills = 0, killsWhileTraining = 0
        var events: [String] = []
        for k in 0..<20 {
            let resuming = FileManager.default.fileExists(atPath: run + "/config.json")
            let (recording, rows) = (size("recording.vgr"), lossRows())
            let p = try start(["train-and-record", "--run", run] + common + (resuming ? ["--resume"] : []))
            let pid = "\(p.processIdentifier)"
            // The moment, by kind: start-up (the lock names this process), just after a snapshot,
            // just after one or two more checkpoints (their loss rows are flushed with them).
            let (event, happened): (String, () -> Bool) =
                switch k % 4 {
                case 0: ("start-up", { lockHolder() == pid })
                case 1: ("snapshot", { size("recording.vgr") > recording && lockHolder() == pid })
                case 2: ("checkpoint", { lossRows() > rows && lockHolder() == pid })
                default: ("second checkpoint", { lossRows() > rows + 1 && lockHolder() == pid })
                }
            let deadline = Date().addingTimeInterval(120)
            while p.isRunning && !happened() && Date() < deadline { usleep(1_000) }
            if p.isRunning && happened() {
                kill(p.processIdentifier, SIGKILL)
                kills += 1
                if k % 4 != 0 { killsWhileTraining += 1 }
                events.append(event)
            } else {
                events.append("\(event) missed")
            }
            p.waitUntilExit()
        }
        XCTAssertEqual(kills, 20, "every kill lands at its event: \(events)")
        XCTAssertEqual(killsWhileTraining, 15, "15 of them while training")
        let last = try runCLI(["train-and-record", "--run", run, "--resume"] + common, in: dir)
        XCTAssertEqual(last.status, 0, last.stderr)
        for file in ["checkpoint.safetensors", "recording.vgr", "losses.csv", "metrics.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/reference/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/killed/" + file))
            XCTAssertEqual(a, b, "\(file) differs after \(kills) kills")
        }
    }
}
