import Datasets
import XCTest

/// `BatchIterator.position(after:)` against an iterator stepped batch by batch: the position a
/// checkpoint's header is checked against on resume.
final class BatchIteratorTests: XCTestCase {
    func testPositionAfterAnyNumberOfBatchesIsWhereSteppingLeavesIt() {
        for (examples, batchSize) in [(10, 3), (12, 4), (7, 7), (100, 8)] {
            var iterator = BatchIterator(exampleCount: examples, batchSize: batchSize)
            for taken in 0...(5 * iterator.batchesPerEpoch + 2) {
                let p = BatchIterator.position(after: taken, batchesPerEpoch: iterator.batchesPerEpoch)
                XCTAssertEqual(p.epoch, iterator.epoch, "\(examples)/\(batchSize) after \(taken)")
                XCTAssertEqual(p.nextBatch, iterator.nextBatch, "\(examples)/\(batchSize) after \(taken)")
                _ = iterator.next { Array(0..<$0) }
            }
        }
    }
}
