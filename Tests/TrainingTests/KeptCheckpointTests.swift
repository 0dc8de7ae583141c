import Datasets
import Foundation
import RunFolder
import RunModel
import Tensor
import TestSupport
import Training
import VAEGAN
import XCTest

/// `--keep-checkpoints K`: the weights of the run's last K scheduled checkpoints kept in
/// `checkpoints/`, pruned as it goes, the run's own files the same bytes with or without them,
/// added on a resume of a run that kept none, and each the weights the checkpoint held then. A
/// missing iteration names those kept; a damaged file is refused in one line naming it.
final class KeptCheckpointTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    func runConfig(iterations: Int, keep: Int = 0) -> RunConfig {
        var c = RunConfig(model: ModelConfig(data: .digits))
        c.batchSize = 8
        c.iterations = iterations
        c.seed = 11
        c.checkpointEvery = 2
        c.keepCheckpoints = keep
        return c
    }

    /// The run's files that training computes.
    func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for f in ["checkpoint.safetensors", "recording.vgr", "losses.csv"] {
            out[f] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f))
        }
        return out
    }

    func kept(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for n in KeptCheckpoints.iterations(in: RunDirectory(dir)) {
            out[KeptCheckpoints.fileName(iteration: n)] = try Data(
                contentsOf: URL(fileURLWithPath: RunDirectory(dir).keptCheckpointPath(iteration: n)))
        }
        return out
    }

    func train(_ dir: String, _ config: RunConfig, resume: Bool = false, data: Dataset) throws {
        XCTAssertEqual(
            try TrainingSession(run: RunDirectory(dir), config: config, dataset: data, resume: resume).run(), .finished)
    }

    func testFileNamesSayTheirIterationsAndNothingElseCounts() {
        XCTAssertEqual(KeptCheckpoints.fileName(iteration: 10_900), "iteration-010900.safetensors")
        XCTAssertEqual(KeptCheckpoints.iteration(fileName: "iteration-010900.safetensors"), 10_900)
        XCTAssertEqual(KeptCheckpoints.iteration(fileName: "iteration-1234567.safetensors"), 1_234_567)
        for other in [
            "iteration-12.safetensors", "iteration-0109000.safetensors", "iteration-01090a.safetensors",
            "iteration-010900.safetensors.tmp", ".iteration-010900.safetensors", "notes.txt"
        ] {
            XCTAssertNil(KeptCheckpoints.iteration(fileName: other), other)
        }
    }

    /// Every scheduled checkpoint (each 2 iterations and the last) is kept until K newer ones
    /// are; a file of another name in the folder is the user's and stays.
    func testTheLastKAreKeptAndOlderOnesPruned() throws {
        let root = try tempDir("kept"), dir = root + "/a"
        var calls = 0
        let session = try TrainingSession(
            run: RunDirectory(dir), config: runConfig(iterations: 9, keep: 3), dataset: smallDataset(), resume: false)
        XCTAssertEqual(KeptCheckpoints.iterations(in: RunDirectory(dir)), [0])
        try Data("mine".utf8).write(to: URL(fileURLWithPath: dir + "/checkpoints/notes.txt"))
        XCTAssertEqual(
            try session.run(shouldStop: {
                calls += 1
                if calls == 6 {  // after iteration 5: kept so far 0, 2 and 4, the last 3
                    XCTAssertEqual(KeptCheckpoints.iterations(in: RunDirectory(dir)), [0, 2, 4])
                }
                return false
            }), .finished)
        XCTAssertEqual(KeptCheckpoints.iterations(in: RunDirectory(dir)), [6, 8, 9])
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir + "/checkpoints").sorted(),
            [
                "iteration-000006.safetensors", "iteration-000008.safetensors", "iteration-000009.safetensors",
                "notes.txt"
            ])
    }

    /// With or without kept checkpoints, the same checkpoint, recording and loss log, byte for
    /// byte; and a run trained without them, resumed with them, keeps what an unbroken run
    /// keeping them keeps from where it resumed (the checkpoint it resumed from among them),
    /// byte for byte, its own files unchanged too.
    func testKeepingChangesNoBytesAndMayStartOnAResume() throws {
        let root = try tempDir("kept"), data = smallDataset()
        try train(root + "/plain", runConfig(iterations: 9), data: data)
        try train(root + "/keeping", runConfig(iterations: 9, keep: 100), data: data)
        XCTAssertEqual(try files(root + "/keeping"), try files(root + "/plain"))
        XCTAssertEqual(KeptCheckpoints.iterations(in: RunDirectory(root + "/keeping")), [0, 2, 4, 6, 8, 9])
        XCTAssertEqual(KeptCheckpoints.iterations(in: RunDirectory(root + "/plain")), [])
        let config = try String(contentsOfFile: root + "/plain/config.json", encoding: .utf8)
        XCTAssertFalse(config.contains("keepCheckpoints"), "a run that keeps none writes no key")

        // Trained to 4 without, then resumed to 9 with --keep-checkpoints 100.
        try train(root + "/resumed", runConfig(iterations: 4), data: data)
        let resumedConfig = try RunConfig.resuming(
            RunDirectory(root + "/resumed"), variant: nil, snapshotEvery: nil, iterations: 9, threads: nil,
            keepCheckpoints: 100)
        try train(root + "/resumed", resumedConfig, resume: true, data: data)
        XCTAssertEqual(try files(root + "/resumed"), try files(root + "/plain"))
        XCTAssertEqual(KeptCheckpoints.iterations(in: RunDirectory(root + "/resumed")), [4, 6, 8, 9])
        XCTAssertEqual(
            try kept(root + "/resumed"), try kept(root + "/keeping").filter { $0.key >= "iteration-000004" })
        XCTAssertEqual(try RunConfig.read(from: root + "/resumed").keepCheckpoints, 100)
        // A resume without the flag keeps the run's own count; 0 stops keeping (and removes none).
        XCTAssertEqual(
            try RunConfig.resuming(
                RunDirectory(root + "/resumed"), variant: nil, snapshotEvery: nil, iterations: 12, threads: nil
            ).keepCheckpoints, 100)
        let stopped = try RunConfig.resuming(
            RunDirectory(root + "/resumed"), variant: nil, snapshotEvery: nil, iterations: 12, threads: nil,
            keepCheckpoints: 0)
        try train(root + "/resumed", stopped, resume: true, data: data)
        XCTAssertEqual(KeptCheckpoints.iterations(in: RunDirectory(root + "/resumed")), [4, 6, 8, 9])
    }

    /// A kept checkpoint is the weights the run's checkpoint held at that iteration: the same
    /// arrays as the checkpoint of a run stopped there, and the same model.
    func testAKeptCheckpointHoldsTheWeightsOfItsIteration() throws {
        let root = try tempDir("kept"), data = smallDataset()
        try train(root + "/long", runConfig(iterations: 9, keep: 100), data: data)
        try train(root + "/short", runConfig(iterations: 6), data: data)
        let (keptArrays, metadata) = try SafeTensors.read(
            path: RunDirectory(root + "/long").keptCheckpointPath(iteration: 6))
        let (checkpoint, _) = try SafeTensors.read(path: root + "/short/checkpoint.safetensors")
        XCTAssertEqual(keptArrays, checkpoint.filter { $0.key.hasSuffix(".kernel") || $0.key.hasSuffix(".bias") })
        XCTAssertEqual(metadata["format"], CheckpointFile.weightsOnlyFormat)
        XCTAssertEqual(metadata["iteration"], "6")
        let config = try RunConfig.read(from: root + "/long")
        let named = try RunDirectory(root + "/long").model(config: config, checkpoint: 6)
        let latest = try RunDirectory(root + "/short").latestModel(config: try RunConfig.read(from: root + "/short"))
        XCTAssertEqual(named.iteration, 6)
        for name in latest.inference.weights.names {
            XCTAssertEqual(named.inference.weights[name].value.array, latest.inference.weights[name].value.array, name)
        }
        // The latest checkpoint's own iteration may be named without a kept file.
        XCTAssertEqual(
            try RunDirectory(root + "/short").model(config: try RunConfig.read(from: root + "/short"), checkpoint: 6)
                .iteration, 6)
        // A kept file cannot be resumed from.
        XCTAssertThrowsError(
            try Checkpoint.load(
                path: RunDirectory(root + "/long").keptCheckpointPath(iteration: 6), config: config, data: data.train)
        ) { XCTAssertTrue("\($0)".contains("weights alone"), "\($0)") }
    }

    /// An iteration not kept names the ones that are; a damaged kept file is refused in one line
    /// naming it; neither touches a byte of the run.
    func testMissingAndDamagedKeptCheckpointsAreRefused() throws {
        let root = try tempDir("kept"), dir = root + "/run", data = smallDataset()
        try train(dir, runConfig(iterations: 9, keep: 2), data: data)
        let run = RunDirectory(dir), config = try RunConfig.read(from: dir)
        let before = try files(dir)
        XCTAssertThrowsError(try run.model(config: config, checkpoint: 4)) {
            XCTAssertEqual(
                $0 as? RunError, .noSuchCheckpoint(folder: dir, iteration: 4, kept: [8, 9], latest: 9))
            XCTAssertEqual(
                "\($0)",
                "\(dir): keeps no checkpoint of iteration 4; it keeps iterations 8, 9; its latest checkpoint is iteration 9"
            )
        }
        let plain = root + "/plain"
        try train(plain, runConfig(iterations: 3), data: data)
        XCTAssertThrowsError(try RunDirectory(plain).model(config: try RunConfig.read(from: plain), checkpoint: 2)) {
            XCTAssertTrue("\($0)".contains("it keeps none (train-and-record --keep-checkpoints K"), "\($0)")
        }

        let path = run.keptCheckpointPath(iteration: 8)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        var damaged: [Data] = [whole.prefix(whole.count / 2), Data("not a safetensors file".utf8)]
        var flipped = whole
        flipped[20] ^= 0xFF  // inside the JSON header
        damaged.append(flipped)
        var nan = whole
        nan.replaceSubrange((nan.count - 4)..<nan.count, with: Data([0, 0, 0xC0, 0x7F]))
        damaged.append(nan)
        for bytes in damaged {
            try bytes.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try run.model(config: config, checkpoint: 8)) {
                let message = "\($0)"
                XCTAssertTrue(message.hasPrefix(path + ": "), message)
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
        // Weights of another model (the checkpoint's name changed).
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: run.keptCheckpointPath(iteration: 9), toPath: path)
        XCTAssertThrowsError(try run.model(config: config, checkpoint: 8)) {
            XCTAssertEqual("\($0)", "\(path): says iteration 9, but its name says 8")
        }
        XCTAssertEqual(try files(dir), before)
    }
}
