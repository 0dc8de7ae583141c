import Foundation
import RunFolder
import TestSupport
import XCTest

/// The fuzzers' kept inputs through the run folder's readers (the recording, safetensors): each
/// must end in a value or in the reader's own error naming the file, never a crash or a stray
/// error. Known-bad inputs must give exactly their error.
final class RunFolderFuzzCorpusTests: XCTestCase {
    func testRecordingCorpus() throws {
        let corpus = try fuzzCorpus("recording")
        XCTAssertGreaterThan(corpus.count, 10, "the kept corpus is missing")
        var parsed = 0
        for (name, bytes) in corpus {
            do { _ = try RecordingFile.parse(bytes, path: "corpus"); parsed += 1 } catch let error as RunError {
                XCTAssertTrue(error.description.hasPrefix("corpus: "), "\(name): \(error)")
            } catch { XCTFail("\(name): not the reader's error: \(error)") }
        }
        XCTAssertGreaterThan(parsed, 0, "some kept inputs are recordings")
    }

    func testKnownBadRecordings() {
        let header = Array("VGRECORD".utf8) + [1, 0, 0, 0]
        let cases: [([UInt8], RunError)] = [
            ([], .invalid(file: "r", problem: "not a vaegan-render recording (bad header)")),
            (Array("NOTAREC!".utf8) + [1, 0, 0, 0], .invalid(file: "r", problem: "not a vaegan-render recording (bad header)")),
            (Array("VGRECORD".utf8) + [9, 0, 0, 0], .invalid(file: "r", problem: "recording version 9 is not supported (this build reads version 1)")),
        ]
        for (bytes, expected) in cases {
            XCTAssertThrowsError(try RecordingFile.parse(bytes, path: "r")) { XCTAssertEqual($0 as? RunError, expected) }
        }
        // Damage after the header is a torn tail: read, reported, skipped.
        let torn = try? RecordingFile.parse(header + [0x53, 0x4E, 0x41, 0x50, 200, 0, 0, 0, 0, 0, 0, 0, 1, 2], path: "r")
        XCTAssertEqual(torn?.snapshots.count, 0)
        XCTAssertEqual(torn?.skippedRecords, 1)
        XCTAssertEqual(torn?.problem, "the last record is torn (2 of 200 bytes)")
    }

    func testSafetensorsCorpus() throws {
        let corpus = try fuzzCorpus("checkpoint")
        XCTAssertGreaterThan(corpus.count, 10, "the kept corpus is missing")
        for (name, bytes) in corpus {
            do { _ = try SafeTensors.parse(Data(bytes), path: "corpus") } catch let error as SafeTensors.FormatError {
                XCTAssertEqual(error.path, "corpus", name)
            } catch { XCTFail("\(name): not the reader's error: \(error)") }
        }
    }
}
