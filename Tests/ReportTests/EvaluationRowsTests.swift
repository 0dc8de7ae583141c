import Evaluation
import Foundation
import Report
import RunFolder
import TestSupport
import XCTest

/// The page's evaluation table shows each figure as `evaluate` prints it.
final class EvaluationRowsTests: XCTestCase {
    /// A Fréchet distance of 3.264 reads 3.26 on the terminal and on the page (the page once
    /// rounded it to 3.3, so that two runs 0.05 apart could not be told apart there).
    func testThePageShowsTheFrechetDistanceAsEvaluatePrintsIt() throws {
        let dir = RunDirectory(try tempDir("evaluation-rows"))
        let written = minimalEvaluationJSON(frechetDistance: 3.264)
        try Data(written.utf8).write(to: URL(fileURLWithPath: dir.evaluationPath))
        let record = try XCTUnwrap(EvaluationRecord.read(dir))
        let terminal = try XCTUnwrap(record.table().first { $0.hasPrefix("Fréchet distance") })
        XCTAssertTrue(terminal.contains(" 3.26 (classifier features, 100 generated vs 100 real)"), terminal)
        let row = try XCTUnwrap(ReportBuilder.rows(record).first { $0.name == "Fréchet distance" })
        XCTAssertEqual(row.value, "3.26")
    }
}
