import Foundation
import RunFolder
import RunModel
import Tensor
import TestSupport
import Training
import VAEGAN
import XCTest

/// NaN stops a run, naming the iteration, and is never resumed from; a checkpoint that does not
/// fit the run is refused with the tensor or field named.
final class DivergenceTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    func config(iterations: Int) -> RunConfig {
        var c = RunConfig(model: ModelConfig(data: .digits))
        c.batchSize = 8
        c.iterations = iterations
        c.checkpointEvery = 1
        return c
    }

    func testNaNStopsTheRunAndKeepsTheLastGoodCheckpoint() throws {
        let dir = try tempDir("nan") + "/r"
        let data = smallDataset()
        let session = try TrainingSession(
            run: RunDirectory(dir), config: config(iterations: 3), dataset: data, resume: false)
        var calls = 0
        XCTAssertEqual(
            try session.run(shouldStop: {
                calls += 1; return calls > 1
            }), .interrupted(atIteration: 1))
        let good = try Data(contentsOf: URL(fileURLWithPath: dir + "/checkpoint.safetensors"))
        session.trainer.weights["decoder.dense1.kernel"].value[5] = .nan
        XCTAssertThrowsError(try session.run()) { error in
            XCTAssertEqual(error as? RunError, .diverged(folder: dir, iteration: 1, checkpoint: 1))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/checkpoint.safetensors")), good)
    }

    func testResumeRefusesACheckpointHoldingNaNOrNotFittingTheRun() throws {
        let dir = try tempDir("badckpt") + "/r"
        let data = smallDataset()
        do {
            let session = try TrainingSession(
                run: RunDirectory(dir), config: config(iterations: 1), dataset: data, resume: false)
            XCTAssertEqual(try session.run(), .finished)
        }
        let path = dir + "/checkpoint.safetensors"
        let (tensors, meta) = try SafeTensors.read(path: path)
        func expectRefusal(_ t: [String: StoredArray], _ m: [String: String], mentioning: String, line: UInt = #line)
            throws
        {
            try SafeTensors.write(t, metadata: m, to: path)
            XCTAssertThrowsError(
                try TrainingSession(
                    run: RunDirectory(dir), config: try RunConfig.read(from: dir), dataset: data, resume: true),
                line: line
            ) { error in
                XCTAssertTrue("\(error)".contains(mentioning), "\(error) should mention \(mentioning)", line: line)
            }
        }
        var nan = tensors
        nan["encoder.conv1.kernel"]!.values[3] = .nan
        try expectRefusal(nan, meta, mentioning: "NaN")
        var missing = tensors
        missing["decoder.conv2.bias"] = nil
        try expectRefusal(missing, meta, mentioning: "decoder.conv2.bias")
        var reshaped = tensors
        reshaped["decoder.conv2.kernel"] = StoredArray(
            shape: [3, 3, 32, 64], values: [Float](repeating: 0, count: 3 * 3 * 32 * 64))
        try expectRefusal(reshaped, meta, mentioning: "decoder.conv2.kernel")
        var noSlot = tensors
        noSlot["encoder.z_mean.kernel.rms"] = nil
        try expectRefusal(noSlot, meta, mentioning: "encoder.z_mean.kernel.rms")
        var order = tensors
        order["state.batch_order"] = StoredArray(shape: [3], values: [0, 0, 1])
        try expectRefusal(order, meta, mentioning: "permutation")
        var m = meta
        m["rng.noise"] = "0,0,0,0"
        try expectRefusal(tensors, m, mentioning: "rng.noise")
        m = meta
        m["iteration"] = "-4"
        try expectRefusal(tensors, m, mentioning: "iteration")
        m = meta
        m["format"] = "something else"
        try expectRefusal(tensors, m, mentioning: "not a vaegan-render checkpoint")
        m = meta
        m["model.latent_dim"] = "2"
        try expectRefusal(tensors, m, mentioning: "another model")
    }
}
