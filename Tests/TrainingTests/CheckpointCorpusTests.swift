import Foundation
import MNIST
import RunFolder
import RunModel
import Tensor
import TestSupport
import Training
import VAEGAN
import XCTest

/// The checkpoint fuzzer's kept inputs through the whole loader (tensors, optimiser state,
/// generator states, position): a trainer, or the run's own error naming the file.
final class CheckpointCorpusTests: XCTestCase {
    func testCheckpointCorpus() throws {
        let digits = DigitSet(images: [Float](repeating: 0, count: 128 * 784), labels: (0..<128).map { UInt8($0 % 10) })
        let path = try tempDir("fuzzckpt") + "/checkpoint.safetensors"
        // No kept input is a whole checkpoint (5 MB, past the fuzzer's input size): the test below
        // writes one that must load.
        try checkCorpusOutcomes("checkpoint", mustLoad: 0) { bytes in
            try? Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                return
                    "loads: iteration \(try Checkpoint.load(path: path, config: RunConfig(), data: digits).iteration)"
            } catch let error
                as RunError
            {
                guard case .invalid(let file, let problem) = error, file == path else { return nil }
                return "error: " + problem
            } catch let error as SafeTensors.FormatError {
                return error.path == path ? "error: " + error.problem : nil
            } catch { return nil }
        }
    }

    /// A whole checkpoint loads into the same trainer state; cut anywhere, it gives the reader's error.
    func testAWholeCheckpointLoadsAndACutOneFails() throws {
        let digits = DigitSet(
            images: [Float](repeating: 0.5, count: 128 * 784), labels: (0..<128).map { UInt8($0 % 10) })
        var rng = RNG(seed: 1, stream: 0)
        let trainer = Trainer(
            config: ModelConfig(), weights: ModelWeights(latentDim: 8, rng: &rng), data: digits, batchSize: 64, seed: 1)
        let path = try tempDir("ckpt") + "/checkpoint.safetensors"
        try Checkpoint.save(trainer, to: path)
        let loaded = try Checkpoint.load(path: path, config: RunConfig(), data: digits)
        XCTAssertEqual(loaded.iteration, 0)
        for name in trainer.weights.names {
            XCTAssertEqual(loaded.weights[name].value.array, trainer.weights[name].value.array, name)
        }
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [1, 7, 100, whole.count / 2, whole.count - 1] {
            try whole.prefix(cut).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Checkpoint.load(path: path, config: RunConfig(), data: digits), "cut at \(cut)") {
                error in
                XCTAssertTrue("\(error)".hasPrefix(path + ": "), "names the file: \(error)")
            }
        }
    }
}
