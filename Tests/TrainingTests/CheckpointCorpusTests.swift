import Foundation
import MNIST
import RunFolder
import TestSupport
import Training
import XCTest

/// The checkpoint fuzzer's kept inputs through the whole loader (tensors, optimiser state,
/// generator states, position): a trainer, or the run's own error naming the file.
final class CheckpointCorpusTests: XCTestCase {
    func testCheckpointCorpus() throws {
        let corpus = try fuzzCorpus("checkpoint")
        XCTAssertGreaterThan(corpus.count, 10, "the kept corpus is missing")
        let digits = DigitSet(images: [Float](repeating: 0, count: 128 * 784), labels: (0..<128).map { UInt8($0 % 10) })
        let path = try tempDir("fuzzckpt") + "/checkpoint.safetensors"
        for (name, bytes) in corpus {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do { _ = try Checkpoint.load(path: path, config: RunConfig(), data: digits) } catch let error as RunError {
                guard case .invalid(let file, _) = error else { XCTFail("\(name): \(error)"); continue }
                XCTAssertEqual(file, path, name)
            } catch let error as SafeTensors.FormatError {
                XCTAssertEqual(error.path, path, name)
            } catch { XCTFail("\(name): not the loader's error: \(error)") }
        }
    }
}
