import Datasets
import Foundation
import TestSupport
import XCTest

/// The IDX fuzzer's kept inputs: every one ends in images, labels, or a `DatasetError` naming the
/// file, never a crash or a stray error.
final class IDXFuzzCorpusTests: XCTestCase {
    func testIDXCorpus() throws {
        try checkCorpusOutcomes("idx", mustLoad: 2) { bytes in
            func read<T>(_ what: String, _ body: () throws -> T, _ describe: (T) -> String) -> String? {
                do { return describe(try body()) } catch let error as DatasetError {
                    return error.path == "corpus" ? "\(what) error: \(error)" : nil
                } catch { return nil }
            }
            let inflated: [UInt8]
            do { inflated = try IDX.inflateIfGzipped(bytes, path: "corpus") } catch let error as DatasetError {
                return error.path == "corpus" ? "error: \(error)" : nil
            } catch { return nil }
            guard
                let images = read(
                    "images", { try IDX.images(from: inflated, path: "corpus") }, { "images \($0.count)" }),
                let labels = read(
                    "labels", { try IDX.labels(from: inflated, path: "corpus") }, { "labels \($0.count)" })
            else { return nil }
            let loads = !images.contains("error") || !labels.contains("error")
            return (loads ? "loads: " : "error: ") + images + "; " + labels
        }
    }
}
