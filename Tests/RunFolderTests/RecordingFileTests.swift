import Foundation
import RunFolder
import TestSupport
import XCTest

func sampleSnapshot(period: Int) -> Snapshot {
    Snapshot(
        period: period, iteration: period * 3, gridSize: 420,
        grids: (0..<10).map { l in (0..<(420 * 420)).map { UInt8(($0 / 420 + l * 7 + period) % 256) } },
        originals: (0..<10).map { d in Array(repeating: UInt8(d * 20), count: 784) },
        reconstructions: (0..<10).map { d in Array(repeating: UInt8(255 - d * 20), count: 784) },
        zPoints: (0..<50).map { SIMD2(Float($0) / 10, -Float($0) / 7) }, zLabels: (0..<50).map { UInt8($0 % 10) })
}

/// The recording: append, read back, and every kind of damage a crash or a stranger can do.
final class RecordingFileTests: XCTestCase {
    var path: String!

    override func setUpWithError() throws {
        path = try tempDir("rec") + "/recording.vgr"
        try RecordingFile.create(path: path)
        for p in 0..<4 { try RecordingFile.append(sampleSnapshot(period: p), path: path) }
    }

    func bytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
    func write(_ b: [UInt8]) throws { try Data(b).write(to: URL(fileURLWithPath: path)) }

    func testRoundTrip() throws {
        let c = try RecordingFile.read(path: path)
        XCTAssertEqual(c.snapshots, (0..<4).map(sampleSnapshot))
        XCTAssertEqual(c.skippedRecords, 0)
        XCTAssertNil(c.problem)
        XCTAssertEqual(c.recordEnds.last, try bytes().count)
    }

    func testTornTailIsSkippedAndCounted() throws {
        let b = try bytes()
        try write(Array(b.dropLast(1000)))
        let c = try RecordingFile.read(path: path)
        XCTAssertEqual(c.snapshots.count, 3)
        XCTAssertEqual(c.skippedRecords, 1)
        XCTAssertTrue(c.problem!.contains("torn"), c.problem!)
    }

    func testBitFlipFailsTheChecksum() throws {
        var b = try bytes()
        let ends = try RecordingFile.read(path: path).recordEnds
        b[ends[1] + 40] ^= 0x10  // inside the third record's body
        try write(b)
        let c = try RecordingFile.read(path: path)
        XCTAssertEqual(c.snapshots.count, 2)
        XCTAssertEqual(c.skippedRecords, 2)
        XCTAssertTrue(c.problem!.contains("checksum"), c.problem!)
    }

    func testReorderedRecordsAreRefused() throws {
        let b = try bytes()
        let ends = try RecordingFile.read(path: path).recordEnds
        let header = Array(b[0..<12]), r0 = Array(b[12..<ends[0]]), r1 = Array(b[ends[0]..<ends[1]])
        try write(header + r1 + r0)
        let c = try RecordingFile.read(path: path)
        XCTAssertEqual(c.snapshots.count, 1)
        XCTAssertTrue(c.problem!.contains("out of order"), c.problem!)
    }

    func testForeignFileAndUnknownVersion() throws {
        try write(Array("hello world, not a recording".utf8))
        XCTAssertThrowsError(try RecordingFile.read(path: path)) {
            XCTAssertTrue("\($0)".contains("not a vaegan-render recording"))
        }
        try write(Array("VGRECORD".utf8) + [9, 0, 0, 0])
        XCTAssertThrowsError(try RecordingFile.read(path: path)) { XCTAssertTrue("\($0)".contains("version 9")) }
    }

    func testGarbageRecordIsNotARecord() throws {
        try write(try bytes() + Array(repeating: 0xAB, count: 40))
        let c = try RecordingFile.read(path: path)
        XCTAssertEqual(c.snapshots.count, 4)
        XCTAssertTrue(c.problem!.contains("not a record"), c.problem!)
    }
}
