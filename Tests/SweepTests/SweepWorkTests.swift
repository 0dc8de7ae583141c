import Foundation
import Sweep
import XCTest

/// What `sweep` says of a point and where its folder is, and its work with a folder that holds
/// no sweep.
final class SweepWorkTests: XCTestCase {
    func testAPointsMessageNamesTheSweepsFlags() {
        XCTAssertEqual(
            SweepSetting.namedAsSweepFlags("--latent-dim must be between 2 and 64, got 1"),
            "--latent-dims must be between 2 and 64, got 1")
        XCTAssertEqual(
            SweepSetting.namedAsSweepFlags("--seed x; --precision bf16 needs ...; --seeds"),
            "--seeds x; --precisions bf16 needs ...; --seeds")
        // Other flags, and flags that merely begin with a setting's name, stay as they are.
        XCTAssertEqual(
            SweepSetting.namedAsSweepFlags("--batch-size 9 and --model-x and --preset-y"),
            "--batch-size 9 and --model-x and --preset-y")
    }

    func testAFolderGivenIsMadeAbsolute() {
        XCTAssertEqual(SweepFolder.absolute("/a/b"), "/a/b")
        XCTAssertEqual(SweepFolder.absolute("a/b"), FileManager.default.currentDirectoryPath + "/a/b")
        XCTAssertEqual(SweepFolder(given: "s").path, FileManager.default.currentDirectoryPath + "/s")
    }

    func testAPointOfAFolderWithoutASweepIsRefused() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nosweep-\(getpid())").path
        XCTAssertThrowsError(
            try SweepFolder(folder).work(.point(0), asking: nil, executable: "/bin/false", threads: 1) { _ in }
        ) { XCTAssertEqual("\($0)", "\(folder) holds no sweep (no sweep.json)") }
        XCTAssertThrowsError(
            try SweepFolder(folder).work(.here(jobs: 1), asking: nil, executable: "/bin/false", threads: 1) { _ in }
        ) { XCTAssertEqual("\($0)", "\(folder) holds no sweep yet: give the settings to vary, e.g. --seeds 0,1,2") }
    }
}
