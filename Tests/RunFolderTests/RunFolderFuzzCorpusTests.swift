import Foundation
import RunFolder
import TestSupport
import XCTest

/// The fuzzers' kept inputs through the run folder's readers (the recording, safetensors): each
/// must end in a value or in the reader's own error naming the file, never a crash or a stray
/// error. Known-bad inputs must give exactly their error.
final class RunFolderFuzzCorpusTests: XCTestCase {
    func testRecordingCorpus() throws {
        try checkCorpusOutcomes("recording", mustLoad: 1) { bytes in
            do {
                let c = try RecordingFile.parse(bytes, path: "corpus")
                return "loads: \(c.snapshots.count) snapshots, \(c.skippedRecords) skipped"
                    + (c.problem.map { " (\($0))" } ?? "")
            } catch let error as RunError {
                return error.description.hasPrefix("corpus: ") ? "error: \(error)" : nil
            } catch { return nil }
        }
    }

    /// The damage a user's disk or hand leaves on a whole recording, kept in the corpus as
    /// `damaged-*` beside the fuzzer's finds (and so held to their outcomes above): six small
    /// snapshots with one byte flipped in the fourth, cut in half, cut one byte short, a changed
    /// magic, an unknown version, a record repeated. Made here, so that they can be made again:
    /// with VAEGAN_RECORD_CORPUS=1 this writes them, otherwise it checks the kept ones are these.
    func testTheCorpusKeepsDamagedRecordings() throws {
        let dir = try tempDir("damaged") + "/recording.vgr"
        try RecordingFile.create(path: dir)
        for p in 0..<6 {
            let grid = [UInt8](repeating: UInt8(p * 40), count: 420 * 420)
            try RecordingFile.append(
                Snapshot(
                    period: p, iteration: p * 2, gridSize: 420, grids: Array(repeating: grid, count: 10),
                    originals: Array(repeating: Array(repeating: 7, count: 784), count: 10),
                    reconstructions: Array(repeating: Array(repeating: 9, count: 784), count: 10),
                    zPoints: [SIMD2(0.5, -0.5)], zLabels: [3]), path: dir)
        }
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir)))
        let ends = try RecordingFile.parse(whole, path: "r").recordEnds
        var flipped = whole
        flipped[ends[2] + 30] ^= 0x40
        var magic = whole
        magic[0] ^= 0xFF
        var version = whole
        version[8] = 2
        let repeated = Array(whole[..<ends[3]]) + Array(whole[ends[1]..<ends[2]]) + Array(whole[ends[3]...])
        let damaged: [String: [UInt8]] = [
            "damaged-whole": whole, "damaged-flipped-in-snapshot-3": flipped,
            "damaged-cut-in-half": Array(whole.prefix(whole.count / 2)), "damaged-one-byte-short": whole.dropLast(),
            "damaged-magic": magic, "damaged-version": version, "damaged-record-repeated": repeated,
            "damaged-colour-whole": try colourRecording(sides: [16, 16]),
            "damaged-colour-side-30": try colourRecording(sides: [16, 30, 16])
        ]
        let kept = Dictionary(
            uniqueKeysWithValues: try fuzzCorpus("recording").filter { $0.name.hasPrefix("damaged-") })
        if ProcessInfo.processInfo.environment["VAEGAN_RECORD_CORPUS"] == "1" {
            let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/recording").path
            for (name, bytes) in damaged { try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name)) }
        } else {
            XCTAssertEqual(kept, damaged, "the kept damaged recordings are the ones made here")
        }
    }

    /// A recording of 16x16 colour snapshots (each starting with its "SHAP" tag), one per side
    /// given: a side the program never trains (30) makes that record implausible, and only it.
    func colourRecording(sides: [Int]) throws -> [UInt8] {
        let path = try tempDir("colour-recording") + "/recording.vgr"
        try RecordingFile.create(path: path)
        for (p, side) in sides.enumerated() {
            let image = side * side * 3
            try RecordingFile.append(
                Snapshot(
                    period: p, iteration: p * 2, gridSize: side * 15,
                    grids: Array(repeating: Array(repeating: UInt8(p * 40), count: image * 225), count: 10),
                    originals: Array(repeating: Array(repeating: 7, count: image), count: 10),
                    reconstructions: Array(repeating: Array(repeating: 9, count: image), count: 10),
                    zPoints: [SIMD2(0.5, -0.5)], zLabels: [3], imageSide: side, channels: 3), path: path)
        }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testKnownBadRecordings() {
        let header = Array("VGRECORD".utf8) + [1, 0, 0, 0]
        let cases: [([UInt8], RunError)] = [
            ([], .invalid(file: "r", problem: "not a vaegan-render recording (bad header)")),
            (
                Array("NOTAREC!".utf8) + [1, 0, 0, 0],
                .invalid(file: "r", problem: "not a vaegan-render recording (bad header)")
            ),
            (
                Array("VGRECORD".utf8) + [9, 0, 0, 0],
                .invalid(file: "r", problem: "recording version 9 is not supported (this build reads version 1)")
            )
        ]
        for (bytes, expected) in cases {
            XCTAssertThrowsError(try RecordingFile.parse(bytes, path: "r")) {
                XCTAssertEqual($0 as? RunError, expected)
            }
        }
        // Damage after the header is a torn tail: read, reported, skipped.
        let torn = try? RecordingFile.parse(
            header + [0x53, 0x4E, 0x41, 0x50, 200, 0, 0, 0, 0, 0, 0, 0, 1, 2], path: "r")
        XCTAssertEqual(torn?.snapshots.count, 0)
        XCTAssertEqual(torn?.skippedRecords, 1)
        XCTAssertEqual(torn?.problem, "the last record is torn (2 of 200 bytes)")
    }

    func testSafetensorsCorpus() throws {
        try checkCorpusOutcomes("checkpoint", outcomes: "checkpoint-safetensors", mustLoad: 1) { bytes in
            do {
                let (arrays, meta) = try SafeTensors.parse(Data(bytes), path: "corpus")
                return "loads: \(arrays.count) tensors, \(meta.count) metadata"
            } catch let error as SafeTensors.FormatError {
                return error.path == "corpus" ? "error: " + error.problem : nil
            } catch { return nil }
        }
    }
}
