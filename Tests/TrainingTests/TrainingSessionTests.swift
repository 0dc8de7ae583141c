import Foundation
import RunFolder
import RunModel
import Tensor
import TestSupport
import Training
import VAEGAN
import XCTest

/// A run directory trained through `TrainingSession`: the recording follows the schedule, the logs
/// hold every iteration, and a stopped and resumed run ends as an unbroken one.
final class TrainingSessionTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    func runConfig(iterations: Int) -> RunConfig {
        var c = RunConfig(model: ModelConfig(data: .digits))
        c.batchSize = 8
        c.iterations = iterations
        c.seed = 11
        c.checkpointEvery = 2
        return c
    }

    func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for f in ["checkpoint.safetensors", "recording.vgr", "losses.csv"] {
            out[f] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f))
        }
        return out
    }

    func testRecordingFollowsTheScheduleAndTheLossLogHasEveryIteration() throws {
        let dir = try tempDir("run") + "/r"
        let session = try TrainingSession(
            run: RunDirectory(dir), config: runConfig(iterations: 30), dataset: smallDataset(), resume: false)
        XCTAssertEqual(try session.run(), .finished)
        let contents = try RecordingFile.read(path: dir + "/recording.vgr")
        XCTAssertEqual(contents.snapshots.map(\.period), Array(0..<10))
        XCTAssertEqual(contents.snapshots.map(\.iteration), (0..<10).map { $0 * 3 })
        XCTAssertEqual(contents.snapshots[0].grids.count, 10)
        XCTAssertEqual(contents.snapshots[0].grids[0].count, 420 * 420)
        XCTAssertEqual(try LossLog.read(path: dir + "/losses.csv").map(\.iteration), Array(0..<30))
        let config = try RunConfig.read(from: dir)
        XCTAssertEqual(config.iterations, 30)
    }

    /// A run that keeps its decoders: every snapshot holds the decoder's parameters in 16 bits;
    /// redrawn over the notebook's z[0], z[1] they give the recorded grids back, within what
    /// rounding the weights to half precision moves a pixel (measured: at most 1 of 255 on this
    /// tiny run's 225 x 10 cells, the bound 3); over other dimensions they draw other grids. A run
    /// without them says so when asked to redraw, and a stopped and resumed one is exact.
    func testRecordedDecodersRedrawTheRecordedGrids() throws {
        let root = try tempDir("decoders"), data = smallDataset()
        var config = runConfig(iterations: 9)
        config.recordDecoders = true
        XCTAssertEqual(
            try TrainingSession(run: RunDirectory(root + "/a"), config: config, dataset: data, resume: false).run(),
            .finished)
        XCTAssertTrue(try RunConfig.read(from: root + "/a").recordDecoders)
        let recorded = try RecordedRun.open(root + "/a")
        let model = try recorded.latestModel(), weights = model.inference.weights
        let decoderSize = weights.parameters(.decoder).reduce(0) { $0 + $1.value.count }
        XCTAssertEqual(recorded.snapshots.map { $0.decoder?.count }, Array(repeating: decoderSize, count: 3))
        let all = Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, Inference.notebookAxes) })
        var worst = 0
        for s in recorded.snapshots {
            let again = try s.redrawn(over: all, base: model, recording: recorded.directory.recordingPath)
            for (a, b) in zip(again.grids, s.grids) {
                worst = max(worst, zip(a, b).map { abs(Int($0) - Int($1)) }.max()!)
            }
        }
        XCTAssertLessThanOrEqual(worst, 3, "half-precision decoders moved a pixel by \(worst) of 255")
        let other = try recorded.snapshots[2].redrawn(over: [4: (2, 3)], base: model, recording: "r")
        XCTAssertNotEqual(other.grids[4], recorded.snapshots[2].grids[4])
        XCTAssertEqual(other.grids[5], recorded.snapshots[2].grids[5], "other labels keep their recorded grids")

        // Without decoders: a clear refusal naming the recording.
        XCTAssertEqual(
            try TrainingSession(
                run: RunDirectory(root + "/b"), config: runConfig(iterations: 4), dataset: data, resume: false
            ).run(), .finished)
        let plain = try RecordedRun.open(root + "/b")
        XCTAssertThrowsError(
            try plain.snapshots[0].redrawn(over: all, base: model, recording: plain.directory.recordingPath)
        ) {
            XCTAssertTrue("\($0)".contains("keeps no decoder") && "\($0)".contains("recording.vgr"), "\($0)")
        }
        XCTAssertThrowsError(
            try RunConfig.resuming(
                RunDirectory(root + "/b"), variant: nil, snapshotEvery: nil, iterations: 8, threads: nil,
                recordDecoders: true)
        ) { XCTAssertTrue("\($0)".contains("--record-decoders"), "\($0)") }

        // Stopped at iteration 5 and resumed: the same bytes as unbroken.
        var calls = 0
        _ = try TrainingSession(run: RunDirectory(root + "/c"), config: config, dataset: data, resume: false)
            .run(shouldStop: {
                calls += 1; return calls > 5
            })
        XCTAssertEqual(
            try TrainingSession(
                run: RunDirectory(root + "/c"), config: try RunConfig.read(from: root + "/c"), dataset: data,
                resume: true
            ).run(), .finished)
        XCTAssertEqual(try files(root + "/c"), try files(root + "/a"))
    }

    /// Same seed and threads: identical files. Stopped and resumed: identical to unbroken.
    func testRunsAreReproducibleAndResumeIsExact() throws {
        let root = try tempDir("repro")
        let data = smallDataset()
        for name in ["a", "b"] {
            let s = try TrainingSession(
                run: RunDirectory(root + "/" + name), config: runConfig(iterations: 7), dataset: data, resume: false)
            XCTAssertEqual(try s.run(), .finished)
        }
        XCTAssertEqual(try files(root + "/a"), try files(root + "/b"))

        var calls = 0
        do {
            let s = try TrainingSession(
                run: RunDirectory(root + "/c"), config: runConfig(iterations: 7), dataset: data, resume: false)
            XCTAssertEqual(
                try s.run(shouldStop: {
                    calls += 1; return calls > 5
                }), .interrupted(atIteration: 5))
        }
        // A torn snapshot and loss rows past the checkpoint, as a crash would leave them.
        let rec = root + "/c/recording.vgr"
        let h = FileHandle(forWritingAtPath: rec)!
        h.seekToEndOfFile(); h.write(Data([0x53, 0x4E, 0x41, 0x50, 9, 9, 9])); h.closeFile()
        let resumed = try TrainingSession(
            run: RunDirectory(root + "/c"), config: try RunConfig.read(from: root + "/c"), dataset: data, resume: true)
        XCTAssertEqual(resumed.startIteration, 5)
        XCTAssertEqual(try resumed.run(), .finished)
        XCTAssertEqual(try files(root + "/c"), try files(root + "/a"))
    }

    /// The same in bfloat16: same seed, threads and precision give the same bytes, a stopped and
    /// resumed bf16 run ends as an unbroken one, and its numbers are not float32's.
    func testBF16RunsAreReproducibleAndResumeIsExact() throws {
        try requireBF16()
        let root = try tempDir("repro-bf16")
        let data = smallDataset()
        var config = runConfig(iterations: 7)
        config.model.precision = .bf16
        for name in ["a", "b"] {
            XCTAssertEqual(
                try TrainingSession(run: RunDirectory(root + "/" + name), config: config, dataset: data, resume: false)
                    .run(), .finished)
        }
        XCTAssertEqual(try files(root + "/a"), try files(root + "/b"))
        XCTAssertEqual(
            try SafeTensors.read(path: root + "/a/checkpoint.safetensors").metadata["engine.precision"], "bf16")
        XCTAssertEqual(
            try TrainingSession(
                run: RunDirectory(root + "/f"), config: runConfig(iterations: 7), dataset: data, resume: false
            ).run(),
            .finished)
        XCTAssertNotEqual(
            try files(root + "/a")["losses.csv"], try files(root + "/f")["losses.csv"], "bf16 computed in float32")

        var calls = 0
        XCTAssertEqual(
            try TrainingSession(run: RunDirectory(root + "/c"), config: config, dataset: data, resume: false)
                .run(shouldStop: {
                    calls += 1; return calls > 4
                }), .interrupted(atIteration: 4))
        let resumed = try TrainingSession(
            run: RunDirectory(root + "/c"), config: try RunConfig.read(from: root + "/c"), dataset: data, resume: true)
        XCTAssertEqual(try resumed.run(), .finished)
        XCTAssertEqual(try files(root + "/c"), try files(root + "/a"))
    }

    /// A checkpoint computed in one precision does not resume under a config.json of the other
    /// (a hand-edited file): the run would go on in other numbers.
    func testResumeRefusesACheckpointOfAnotherPrecision() throws {
        let dir = try tempDir("precision") + "/r"
        let data = smallDataset()
        XCTAssertEqual(
            try TrainingSession(run: RunDirectory(dir), config: runConfig(iterations: 2), dataset: data, resume: false)
                .run(), .finished)
        var config = try RunConfig.read(from: dir)
        XCTAssertEqual(config.model.precision, .fp32)
        config.model.precision = .bf16
        XCTAssertThrowsError(try TrainingSession(run: RunDirectory(dir), config: config, dataset: data, resume: true)) {
            XCTAssertTrue("\($0)".contains("was computed in fp32 and config.json says bf16"), "\($0)")
        }
    }

    func testASecondWriterIsRefused() throws {
        let dir = try tempDir("lock") + "/r"
        let first = try TrainingSession(
            run: RunDirectory(dir), config: runConfig(iterations: 1), dataset: smallDataset(), resume: false)
        XCTAssertThrowsError(
            try TrainingSession(
                run: RunDirectory(dir), config: runConfig(iterations: 1), dataset: smallDataset(), resume: true)
        ) {
            XCTAssertTrue("\($0)".contains("in use by another"), "\($0)")
        }
        _ = first
    }

    /// A checkpoint of another engine revision (or of a build before revisions were recorded)
    /// resumes nowhere, with the one error that names both revisions; render, report and evaluate
    /// still read its weights.
    func testResumeRefusesACheckpointOfAnotherEngineRevision() throws {
        let dir = try tempDir("revision") + "/r"
        let data = smallDataset()
        do {
            let s = try TrainingSession(
                run: RunDirectory(dir), config: runConfig(iterations: 2), dataset: data, resume: false)
            XCTAssertEqual(try s.run(), .finished)
        }
        let path = dir + "/checkpoint.safetensors"
        let (arrays, metadata) = try SafeTensors.read(path: path)
        XCTAssertEqual(metadata["engine.revision"], String(EngineRevision.current))
        let config = try RunConfig.read(from: dir)
        for (revision, expected) in [
            (
                nil,
                RunError.engineRevisionDiffers(
                    file: path, written: EngineRevision.unrecorded, current: EngineRevision.current)
            ),
            (
                "\(EngineRevision.current + 1)",
                .engineRevisionDiffers(file: path, written: EngineRevision.current + 1, current: EngineRevision.current)
            ),
            ("two", .invalid(file: path, problem: "metadata 'engine.revision' is not a number"))
        ] {
            var meta = metadata
            meta["engine.revision"] = revision
            try SafeTensors.write(arrays, metadata: meta, to: path)
            XCTAssertThrowsError(
                try TrainingSession(run: RunDirectory(dir), config: config, dataset: data, resume: true)
            ) {
                XCTAssertEqual($0 as? RunError, expected)
            }
            XCTAssertEqual(try Checkpoint.open(path: path, config: config).iteration, 2, "the weights stay readable")
        }
        try SafeTensors.write(arrays, metadata: metadata, to: path)
        XCTAssertEqual(
            try TrainingSession(run: RunDirectory(dir), config: config, dataset: data, resume: true).startIteration, 2)
    }
}
