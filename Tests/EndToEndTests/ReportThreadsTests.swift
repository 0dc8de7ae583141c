import Foundation
import Report
import RunModel
import Tensor
import TestSupport
import Training
import XCTest

/// Building a report's page loads the run's model; it must not change the engine's thread count
/// (the studio builds pages while it serves, on the threads it was started with).
final class ReportThreadsTests: XCTestCase {
    func testBuildingAReportPageLeavesTheEngineThreadsAlone() throws {
        let dir = try tempDir("report-threads")
        let run = try runWithShippedWeights(in: dir)
        Threads.set(2)
        let page = try ReportBuilder(
            recorded: try RecordedRun.open(run), folder: dir + "/report", dataDirectory: nil, threads: 1, program: ""
        ).page()
        XCTAssertFalse(page.galleries.isEmpty)
        XCTAssertEqual(Threads.count, 2, "the page builder changed the engine's threads")
    }
}
