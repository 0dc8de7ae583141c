import Foundation
import MNIST
import Recording
import Tensor
import XCTest

/// Every kept fuzz input (Fuzz/Corpus and Fuzz/Crashes) through the readers the fuzz targets
/// drive: each must end in a value or a thrown error, never a crash.
final class FuzzCorpusTests: XCTestCase {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz").path

    func inputs(_ target: String) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        for folder in ["Corpus", "Crashes"] {
            let dir = "\(Self.fuzz)/\(folder)/\(target)"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
                out.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))))
            }
        }
        return out
    }

    func testIDXInputs() throws {
        let all = try inputs("idx")
        XCTAssertFalse(all.isEmpty, "the kept corpus is missing")
        for bytes in all {
            if let inflated = try? IDX.inflateIfGzipped(bytes, path: "corpus") {
                _ = try? IDX.images(from: inflated, path: "corpus")
                _ = try? IDX.labels(from: inflated, path: "corpus")
            }
        }
    }

    func testRecordingInputs() throws {
        let all = try inputs("recording")
        XCTAssertFalse(all.isEmpty, "the kept corpus is missing")
        for bytes in all { _ = try? RecordingFile.parse(bytes, path: "corpus") }
    }

    func testCheckpointInputs() throws {
        let all = try inputs("checkpoint")
        XCTAssertFalse(all.isEmpty, "the kept corpus is missing")
        let digits = DigitSet(images: [Float](repeating: 0, count: 128 * 784), labels: (0..<128).map { UInt8($0 % 10) })
        let path = try tempDir("fuzzckpt") + "/checkpoint.safetensors"
        for bytes in all where (try? SafeTensors.parse(Data(bytes), path: "corpus")) != nil {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            _ = try? Checkpoint.load(path: path, config: RunConfig(), data: digits)
        }
    }
}
