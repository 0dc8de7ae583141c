import Foundation
import MNIST
import TestSupport
import XCTest

/// The IDX fuzzer's kept inputs: every one ends in images, labels, or a `DatasetError` naming the
/// file, never a crash or a stray error.
final class IDXFuzzCorpusTests: XCTestCase {
    func testIDXCorpus() throws {
        let corpus = try fuzzCorpus("idx")
        XCTAssertGreaterThan(corpus.count, 10, "the kept corpus is missing")
        var images = 0, labels = 0
        for (name, bytes) in corpus {
            func expectValueOrDatasetError(_ read: () throws -> Void) -> Bool {
                do { try read(); return true } catch let error as DatasetError {
                    XCTAssertEqual(error.path, "corpus", "\(name): \(error)")
                } catch { XCTFail("\(name): not the reader's error: \(error)") }
                return false
            }
            var inflated: [UInt8] = []
            guard expectValueOrDatasetError({ inflated = try IDX.inflateIfGzipped(bytes, path: "corpus") }) else { continue }
            if expectValueOrDatasetError({ _ = try IDX.images(from: inflated, path: "corpus") }) { images += 1 }
            if expectValueOrDatasetError({ _ = try IDX.labels(from: inflated, path: "corpus") }) { labels += 1 }
        }
        XCTAssertGreaterThan(images, 0, "the seed image file reads")
        XCTAssertGreaterThan(labels, 0, "the seed label files read")
    }
}
