import Deflate
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

    /// A colour snapshot of another side says its shape before its period and reads back whole;
    /// an MNIST-shaped one is written as before colour (its first field is its period).
    func testAColourSnapshotOfAnotherSideReadsBack() throws {
        let side = 32, cells = 3 * 32
        let colour = { (period: Int) in
            Snapshot(
                period: period, iteration: period * 3, gridSize: cells,
                grids: (0..<3).map { l in (0..<(cells * cells * 3)).map { UInt8(($0 + l) % 251) } },
                originals: (0..<3).map { d in Array(repeating: UInt8(d * 20), count: side * side * 3) },
                reconstructions: (0..<3).map { d in Array(repeating: UInt8(200 - d), count: side * side * 3) },
                zPoints: [SIMD2(1, 2)], zLabels: [2], imageSide: side, channels: 3)
        }
        let other = try tempDir("rec-colour") + "/recording.vgr"
        try RecordingFile.create(path: other)
        try RecordingFile.append(colour(5), path: other)
        try RecordingFile.append(colour(6), path: other)
        let read = try RecordingFile.read(path: other)
        XCTAssertEqual(read.snapshots, [colour(5), colour(6)])
        XCTAssertNil(read.problem)
        let b = try bytes(), start = RecordingFile.header.count
        let length = Int(b[start + 4]) | Int(b[start + 5]) << 8 | Int(b[start + 6]) << 16 | Int(b[start + 7]) << 24
        let body = try Zlib.inflate(Array(b[(start + 12)..<(start + 12 + length)]), limit: 64 << 20)
        XCTAssertEqual(Array(body.prefix(4)), [0, 0, 0, 0], "an MNIST-shaped snapshot starts with its period, 0")
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
        XCTAssertEqual(c.snapshots.map(\.period), [0, 1, 3], "the record after it is read on")
        XCTAssertEqual(c.skippedRecords, 1)
        XCTAssertTrue(c.problem!.contains("checksum"), c.problem!)
    }

    /// One damaged record in the middle costs that record alone: a flipped byte in its body, a
    /// changed length or magic in its frame. The reader finds the next record and keeps every
    /// intact one after it (it kept only those before).
    func testADamagedRecordInTheMiddleCostsOnlyItself() throws {
        for p in 4..<7 { try RecordingFile.append(sampleSnapshot(period: p), path: path) }
        let whole = try bytes()
        let ends = try RecordingFile.read(path: path).recordEnds
        func le(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        var body = whole, length = whole, magic = whole, torn = whole
        body[ends[1] + 400] ^= 0x01
        length.replaceSubrange((ends[1] + 4)..<(ends[1] + 8), with: le(UInt32(ends[2] - ends[1] - 20)))
        magic[ends[1]] ^= 0xFF
        torn.removeSubrange((ends[1] + 100)..<(ends[1] + 200))
        for (name, damaged) in [("body", body), ("length", length), ("magic", magic), ("torn", torn)] {
            try write(damaged)
            let c = try RecordingFile.read(path: path)
            XCTAssertEqual(c.snapshots.map(\.period), [0, 1, 3, 4, 5, 6], name)
            XCTAssertEqual(c.skippedRecords, 1, name)
            XCTAssertTrue(c.problem?.contains("offset \(ends[1])") == true, "\(name): \(c.problem ?? "none")")
        }
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

    /// A snapshot that keeps its decoder: read back value for value; older snapshots without one
    /// in the same file still read.
    func testADecoderTravelsWithItsSnapshot() throws {
        var s = sampleSnapshot(period: 4)
        s.decoder = (0..<1000).map { UInt16(truncatingIfNeeded: $0 &* 40503) }
        try RecordingFile.append(s, path: path)
        let c = try RecordingFile.read(path: path)
        XCTAssertNil(c.problem)
        XCTAssertEqual(c.snapshots.map { $0.decoder?.count }, [nil, nil, nil, nil, 1000])
        XCTAssertEqual(c.snapshots.last, s)
    }

    /// A kept decoder whose trailer a stranger changed: another tag, a count past the bytes, an
    /// implausible count. Each is a malformed record, skipped with its reason, never a crash.
    func testATamperedDecoderTrailerIsMalformed() throws {
        var s = sampleSnapshot(period: 4)
        s.decoder = Array(repeating: 0x3C00, count: 10)  // 1.0 in half precision
        try RecordingFile.append(s, path: path)
        let b = try bytes(), start = try RecordingFile.read(path: path).recordEnds[3]
        let body = try Zlib.inflate(Array(b[(start + 12)...]), limit: 64 << 20)
        let tail = body.count - 28  // "DECO", the count, 10 values
        func le(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        for (name, changed) in [
            ("another tag", Array(body[..<tail]) + Array("DECX".utf8) + Array(body[(tail + 4)...])),
            ("a count past the end", Array(body[..<(tail + 4)]) + le(11) + Array(body[(tail + 8)...])),
            ("an implausible count", Array(body[..<(tail + 4)]) + le(1 << 30) + Array(body[(tail + 8)...])),
            ("a byte too many", body + [0])
        ] {
            let packed = Zlib.deflate(changed)
            try write(Array(b[..<start]) + le(0x5041_4E53) + le(UInt32(packed.count)) + le(Zlib.crc32(packed)) + packed)
            let c = try RecordingFile.read(path: path)
            XCTAssertEqual(c.snapshots.count, 4, name)
            XCTAssertTrue(c.problem?.contains("malformed") == true, "\(name): \(c.problem ?? "no problem")")
        }
    }

    /// Half precision: exact back to float32, and within 2^-11 of the value it rounds.
    func testHalvesRoundToNearest() {
        let values: [Float] = [0, 1, -0.5, 0.1, 3.14159, -1e-3, 60000, 1e-5]
        let back = values.withUnsafeBufferPointer { Snapshot.floats(Snapshot.halves($0)[...]) }
        for (v, h) in zip(values, back) {
            XCTAssertLessThanOrEqual(abs(h - v), max(abs(v) * 0x1p-11, 0x1p-25), "\(v) -> \(h)")
        }
        XCTAssertEqual(back[1], 1)
        let twice = [Float](repeating: 0.1, count: 2).withUnsafeBufferPointer {
            Snapshot.floats(Snapshot.halves($0)[...])
        }
        XCTAssertEqual(twice, [back[3], back[3]])
    }
}
