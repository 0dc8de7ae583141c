import AtomicIO
import Foundation
import XCTest

/// Folders made as `mkdir -p` makes them, and the line that says why one cannot be.
final class MakeFoldersTests: XCTestCase {
    func testMakesTheFolderAndThoseAbove() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mkfolders-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try AtomicFile.makeFolders(root + "/a/b", named: "--out-dir x")
        var isDirectory: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/a/b", isDirectory: &isDirectory))
        XCTAssertTrue(isDirectory.boolValue)
        // Again: the folder is there, nothing to do.
        XCTAssertNoThrow(try AtomicFile.makeFolders(root + "/a/b", named: "--out-dir x"))
    }

    func testSaysWhichPartIsAFile() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mkfolders-file-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/f", contents: Data())
        XCTAssertThrowsError(try AtomicFile.makeFolders(root + "/f", named: "--out-dir F")) {
            XCTAssertEqual("\($0)", "--out-dir F: cannot create the folder (it is a file)")
        }
        XCTAssertThrowsError(try AtomicFile.makeFolders(root + "/f/g", named: "--out-dir G")) {
            XCTAssertEqual("\($0)", "--out-dir G: cannot create the folder (\(root)/f is a file or cannot be written)")
        }
    }
}
