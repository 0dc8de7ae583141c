import Foundation
import RunFolder
import TestSupport
import XCTest

/// Following a recording while another writer appends to it, cuts it back, or tears it.
final class RecordingFollowerTests: XCTestCase {
    var path: String!

    override func setUpWithError() throws { path = try tempDir("follow") + "/recording.vgr" }

    func testNewRecordsArriveOneByOneAndOnlyOnce() throws {
        let follower = RecordingFollower(path: path)
        XCTAssertFalse(try follower.poll(), "no file yet: nothing to show")
        try RecordingFile.create(path: path)
        XCTAssertFalse(try follower.poll(), "a header alone holds no snapshot")
        for p in 0..<3 {
            try RecordingFile.append(sampleSnapshot(period: p), path: path)
            XCTAssertTrue(try follower.poll())
            XCTAssertEqual(follower.latest, sampleSnapshot(period: p))
        }
        XCTAssertFalse(try follower.poll(), "nothing new, nothing changed")
        XCTAssertEqual([follower.count, follower.latest?.iteration ?? -1], [3, 6])
    }

    func testARecordHalfWrittenWaitsForItsEnd() throws {
        try RecordingFile.create(path: path)
        try RecordingFile.append(sampleSnapshot(period: 0), path: path)
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        try RecordingFile.append(sampleSnapshot(period: 1), path: path)
        let both = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // The second record arrives in two writes.
        try Data(both.prefix(whole.count + 500)).write(to: URL(fileURLWithPath: path))
        let follower = RecordingFollower(path: path)
        try follower.poll()
        XCTAssertEqual([follower.count, follower.latest?.iteration ?? -1], [1, 0], "a torn last record is not shown")
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try h.seekToEnd(); try h.write(contentsOf: Data(both[(whole.count + 500)...])); try h.close()
        XCTAssertTrue(try follower.poll())
        XCTAssertEqual([follower.count, follower.latest?.iteration ?? -1], [2, 3])
        XCTAssertEqual(follower.latest, sampleSnapshot(period: 1))
    }

    /// A resumed run cuts the recording back to its checkpoint and takes the later snapshots again.
    func testARecordingCutBackIsReadAgain() throws {
        try RecordingFile.create(path: path)
        for p in 0..<4 { try RecordingFile.append(sampleSnapshot(period: p), path: path) }
        let follower = RecordingFollower(path: path)
        try follower.poll()
        XCTAssertEqual([follower.count, follower.latest?.iteration ?? -1], [4, 9])
        let c = try RecordingFile.read(path: path)
        try RecordingFile.truncate(path: path, to: c.recordEnds[0])
        XCTAssertTrue(try follower.poll())
        XCTAssertEqual([follower.count, follower.latest?.iteration ?? -1], [1, 0])
        // Cut back and grown past the old end before the next poll: found by the record framing.
        try RecordingFile.truncate(path: path, to: RecordingFile.header.count)
        var other = sampleSnapshot(period: 0)
        other.grids[0][0] = 99
        for _ in 0..<5 { try RecordingFile.append(other, path: path); other.period += 1; other.iteration += 3 }
        XCTAssertTrue(try follower.poll())
        XCTAssertEqual([follower.count, follower.latest?.iteration ?? -1], [5, 12])
        XCTAssertEqual(follower.latest?.grids[0][0], 99)
    }

    func testADamagedRecordEndsWhatIsShown() throws {
        try RecordingFile.create(path: path)
        for p in 0..<3 { try RecordingFile.append(sampleSnapshot(period: p), path: path) }
        var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let ends = try RecordingFile.read(path: path).recordEnds
        b[ends[0] + 40] ^= 0xFF  // inside the second record's body: its checksum fails
        try Data(b).write(to: URL(fileURLWithPath: path))
        let follower = RecordingFollower(path: path)
        try follower.poll()
        XCTAssertEqual([follower.count, follower.latest?.iteration ?? -1], [1, 0])
        try Data("not a recording".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RecordingFollower(path: path).poll()) { error in
            XCTAssertTrue("\(error)".contains("not a vaegan-render recording"), "\(error)")
        }
    }

    /// A recording of another version is refused by the follower as by every other reader.
    func testAnotherVersionIsRefusedAsRenderRefusesIt() throws {
        try RecordingFile.create(path: path)
        try RecordingFile.append(sampleSnapshot(period: 0), path: path)
        var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        b[8] = 2
        try Data(b).write(to: URL(fileURLWithPath: path))
        for read in [
            { _ = try RecordingFile.read(path: self.path) }, { _ = try RecordingFollower(path: self.path).poll() }
        ] {
            XCTAssertThrowsError(try read()) {
                XCTAssertTrue("\($0)".contains("recording version 2 is not supported"), "\($0)")
            }
        }
    }
}
