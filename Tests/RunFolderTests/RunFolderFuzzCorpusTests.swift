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
