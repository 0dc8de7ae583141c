import Comparison
import Foundation
import XCTest

/// `compare` of a folder that holds no sweep.
final class CompareRequestTests: XCTestCase {
    func testAFolderWithoutASweepIsRefused() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nocompare-\(getpid())").path
        XCTAssertThrowsError(try ComparePage(sweepIn: folder, label: "7", dataDirectory: nil)) {
            XCTAssertEqual("\($0)", "\(folder) holds no sweep (no sweep.json); make one with vaegan-render sweep")
        }
    }
}
