import Datasets
import Foundation
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
                    "loads: iteration \(try Checkpoint.load(path: path, config: RunConfig(model: ModelConfig(data: .digits)), data: digits).iteration)"
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

    /// A new trainer of the default model on 128 grey digits of every label.
    static func newTrainer() -> (DigitSet, Trainer) {
        let digits = DigitSet(
            images: [Float](repeating: 0.5, count: 128 * 784), labels: (0..<128).map { UInt8($0 % 10) })
        var rng = RNG(seed: 1, stream: 0)
        let trainer = Trainer(
            config: ModelConfig(data: .digits), weights: ModelWeights(latentDim: 8, data: .digits, rng: &rng),
            data: digits, batchSize: 64, seed: 1)
        return (digits, trainer)
    }

    /// A whole checkpoint loads into the same trainer state; cut anywhere, it gives the reader's error.
    func testAWholeCheckpointLoadsAndACutOneFails() throws {
        let (digits, trainer) = Self.newTrainer()
        let path = try tempDir("ckpt") + "/checkpoint.safetensors"
        try Checkpoint.save(trainer, to: path)
        let loaded = try Checkpoint.load(path: path, config: RunConfig(model: ModelConfig(data: .digits)), data: digits)
        XCTAssertEqual(loaded.iteration, 0)
        for name in trainer.weights.names {
            XCTAssertEqual(loaded.weights[name].value.array, trainer.weights[name].value.array, name)
        }
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [1, 7, 100, whole.count / 2, whole.count - 1] {
            try whole.prefix(cut).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(
                try Checkpoint.load(path: path, config: RunConfig(model: ModelConfig(data: .digits)), data: digits),
                "cut at \(cut)"
            ) {
                error in
                XCTAssertTrue("\(error)".hasPrefix(path + ": "), "names the file: \(error)")
            }
        }
    }

    /// Every way a checkpoint's header or arrays can disagree with themselves is the loader's
    /// one-line error naming the file, never a trainer: the cases a damaged disk or a hand edit
    /// leave, too large (5 MB) for the fuzzer's kept corpus.
    func testADamagedCheckpointIsNamedAndNeverLoaded() throws {
        let (digits, trainer) = Self.newTrainer()
        _ = trainer.runIteration()
        let path = try tempDir("ckpt-damage") + "/checkpoint.safetensors"
        try Checkpoint.save(trainer, to: path)
        let (arrays, metadata) = try SafeTensors.read(path: path)
        XCTAssertEqual(
            try Checkpoint.load(path: path, config: RunConfig(model: ModelConfig(data: .digits)), data: digits)
                .iteration, 1)

        typealias Damage = (inout [String: StoredArray], inout [String: String]) -> Void
        let order = CheckpointFile.batchOrderName, ms = CheckpointFile.accumulatorName("decoder.dense1.kernel")
        let cases: [(String, String, Damage)] = [
            ("iteration not a number", "metadata 'iteration' is missing", { $1["iteration"] = "2109x" }),
            ("iteration negative", "metadata 'iteration' is missing or out of range", { $1["iteration"] = "-1" }),
            ("another format", "is not a vaegan-render checkpoint", { $1["format"] = "other 1" }),
            ("another latent size", "belongs to another model", { $1["model.latent_dim"] = "3" }),
            ("engine revision garbled", "'engine.revision' is not a number", { $1["engine.revision"] = "x" }),
            ("generator state garbled", "'rng.data' is not a generator state", { $1["rng.data"] = "zz" }),
            ("batch position past the epoch", "'batch.next' is missing or out of range", { $1["batch.next"] = "3" }),
            ("batch order repeats", "is not a permutation", { a, _ in a[order]!.values[1] = a[order]!.values[0] }),
            ("weight not finite", "holds NaN or infinity", { a, _ in a["decoder.dense1.kernel"]!.values[5] = .nan }),
            ("accumulator negative", "optimiser state '\(ms)' holds invalid values", { a, _ in a[ms]!.values[0] = -1 }),
            ("accumulator missing", "optimiser state '\(ms)' is missing", { a, _ in a[ms] = nil }),
            ("weight missing", "decoder.dense1.kernel", { a, _ in a["decoder.dense1.kernel"] = nil })
        ]
        for (what, says, damage) in cases {
            var a = arrays, m = metadata
            damage(&a, &m)
            try SafeTensors.write(a, metadata: m, to: path)
            XCTAssertThrowsError(
                try Checkpoint.load(path: path, config: RunConfig(model: ModelConfig(data: .digits)), data: digits),
                what
            ) { error in
                XCTAssertTrue("\(error)".hasPrefix(path + ": "), "\(what): names the file: \(error)")
                XCTAssertTrue("\(error)".contains(says), "\(what): '\(error)' should say '\(says)'")
                XCTAssertFalse("\(error)".contains("\n"), "\(what): one line")
            }
        }
    }
}
