import AtomicIO
import Foundation
import OwnData
import XCTest

/// `--data` as the commands give it: one's own images where it names them, nothing where it names
/// anything else, and a bad set's problem said naming --data.
final class GivenDataTests: XCTestCase {
    func testOwnImagesOrNothing() throws {
        XCTAssertNil(try OwnDataset.load(given: nil))
        XCTAssertNil(try OwnDataset.load(given: "/no/such/folder"), "a path whose reader says what it lacks")
        let own = try XCTUnwrap(try OwnDataset.load(given: OwnDatasetTests.fixtures + "/npy3", seed: 4))
        XCTAssertEqual(own.data.classes.names, ["one", "seven", "zero"])
    }

    func testABadSetIsSaidNamingTheFlag() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(getpid()).npz").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("not a zip".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var direct: FileError?
        XCTAssertThrowsError(try OwnDataset.load(path: path)) { direct = $0 as? FileError }
        XCTAssertThrowsError(try OwnDataset.load(given: path)) {
            XCTAssertEqual($0 as? FileError, direct.map { FileError(path: "--data " + $0.path, problem: $0.problem) })
        }
        XCTAssertNotNil(direct, "the reader's own error is a FileError")
    }
}
