import Foundation
import TestSupport
import XCTest

/// A disk that fills up mid-run: the run stops with a clear message; the last checkpoint and every
/// complete snapshot stay readable; resumed on a disk with room, it ends byte-identical to a run
/// that never ran out of space.
final class FullDiskTests: XCTestCase {
    func sh(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    func testFullDiskStopsCleanlyAndTheRunResumesElsewhere() throws {
        try requireMNIST()
        let dir = try tempDir("disk")
        let small = dir + "/small"
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        // 9 MB: room for one 5.5 MB checkpoint and a few snapshots, not for the second checkpoint.
        try requireTool(sh("mount -t tmpfs -o size=9m tmpfs '\(small)'") == 0, "cannot mount a tmpfs here (needs root)")
        defer { _ = sh("umount '\(small)'") }
        let args = [
            "--iterations", "12", "--batch-size", "8", "--checkpoint-every", "2", "--seed", "5", "--threads", "2",
            "--quiet"
        ]

        let full = try runCLI(["train-and-record", "--run", small + "/run"] + args, in: dir)
        XCTAssertEqual(full.status, 1)
        XCTAssertEqual(full.stderr.split(separator: "\n").count, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("No space left on device"), full.stderr)
        XCTAssertTrue(full.stderr.contains("--resume"), full.stderr)
        XCTAssertFalse(
            try FileManager.default.contentsOfDirectory(atPath: small + "/run").contains { $0.hasSuffix(".tmp") })
        let manifold = try runCLI(
            ["export", "manifold", "--label", "1", "--run", small + "/run", "--out", dir + "/m.png", "--quiet"], in: dir
        )
        XCTAssertEqual(manifold.status, 0, "snapshots written before the disk filled stay readable: \(manifold.stderr)")

        XCTAssertEqual(sh("cp -r '\(small)/run' '\(dir)/moved'"), 0)
        XCTAssertEqual(
            try runCLI(["train-and-record", "--run", dir + "/moved", "--resume", "--quiet"], in: dir).status, 0)
        XCTAssertEqual(try runCLI(["train-and-record", "--run", dir + "/reference"] + args, in: dir).status, 0)
        for file in ["checkpoint.safetensors", "recording.vgr", "losses.csv", "metrics.csv"] {
            XCTAssertEqual(
                try Data(contentsOf: URL(fileURLWithPath: dir + "/moved/" + file)),
                try Data(contentsOf: URL(fileURLWithPath: dir + "/reference/" + file)), file)
        }
    }
}
