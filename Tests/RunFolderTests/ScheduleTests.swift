import RunFolder
import TestSupport
import XCTest

/// The snapshot schedules of the two notebooks.
final class ScheduleTests: XCTestCase {
    func testPrintedScheduleHas190SnapshotsTheLastAtIteration2970() {
        let s = SnapshotSchedule.printed
        XCTAssertEqual(SnapshotSchedule.savedPeriods.count, 190)
        XCTAssertEqual(s.snapshotCount(iterations: 30), 10)
        XCTAssertEqual(s.snapshotCount(iterations: 2971), 190)
        XCTAssertEqual(s.snapshotCount(iterations: 2970), 189)
        XCTAssertEqual(s.iterationsForAllSnapshots, 2971)
        XCTAssertEqual(s.period(atIteration: 2970), 990)
        XCTAssertNil(s.period(atIteration: 303))
        XCTAssertEqual(s.period(atIteration: 330), 110)
    }

    /// The published notebook's films: Batch 0, 100, ..., 9,900, then 10,000, 11,000, ...
    func testPublishedScheduleSnapshotsEvery100ThenEvery1000() {
        let s = SnapshotSchedule.hundredPerPeriod
        let taken = (0..<48_000).filter { s.period(atIteration: $0) != nil }
        XCTAssertEqual(Array(taken.prefix(100)), Array(stride(from: 0, to: 10_000, by: 100)))
        XCTAssertEqual(Array(taken.dropFirst(100).prefix(3)), [10_000, 11_000, 12_000])
        XCTAssertEqual(taken.last, 47_000)
        XCTAssertEqual(taken.count, s.snapshotCount(iterations: 48_000))
        XCTAssertEqual(s.period(atIteration: 11_000), 110)
        XCTAssertNil(s.period(atIteration: 10_100))
    }
}
