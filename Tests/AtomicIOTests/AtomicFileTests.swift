import AtomicIO
import Foundation
import TestSupport
import XCTest

/// A write lands whole or not at all: the old file survives a write that fails half-way.
final class AtomicFileTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = try tempDir("atomic") }

    func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func testWriteReplacesTheFileAndLeavesNoTemporary() throws {
        let path = dir + "/a.bin"
        try AtomicFile.write(Data("first".utf8), to: path)
        try AtomicFile.write(Data("second".utf8), to: path)
        XCTAssertEqual(try contents(path), Data("second".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["a.bin"])
    }

    /// A write stopped half-way by the file-size limit (write(2) fails with EFBIG after the first
    /// 64 KiB): the error names the file, the old contents stay, no temporary file remains.
    func testAWriteInterruptedHalfWayLeavesTheOldFile() throws {
        let path = dir + "/checkpoint.bin"
        let old = Data(repeating: 7, count: 1000)
        try AtomicFile.write(old, to: path)
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var small = rlimit(rlim_cur: 64 << 10, rlim_max: saved.rlim_max)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &small)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
            signal(SIGXFSZ, previousHandler)
        }
        XCTAssertThrowsError(try AtomicFile.write(Data(repeating: 1, count: 1 << 20), to: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ": write failed"), "\(error)")
            XCTAssertTrue("\(error)".contains("the previous file, if any, is untouched"), "\(error)")
        }
        XCTAssertEqual(try contents(path), old)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir), ["checkpoint.bin"], "no temporary file left")
    }

    func testCheckWritableNamesWhatIsWrong() throws {
        XCTAssertThrowsError(try AtomicFile.checkWritable(dir + "/missing/x.png")) {
            XCTAssertTrue("\($0)".contains("does not exist"), "\($0)")
        }
        XCTAssertThrowsError(try AtomicFile.checkWritable(dir)) {
            XCTAssertTrue("\($0)".contains("is a directory"), "\($0)")
        }
        XCTAssertNoThrow(try AtomicFile.checkWritable(dir + "/new.png"))
    }
}
