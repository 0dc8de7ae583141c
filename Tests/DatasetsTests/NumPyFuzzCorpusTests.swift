import AtomicIO
import Datasets
import Foundation
import TestSupport
import XCTest

/// The NumPy fuzzer's kept inputs (`Fuzz/Corpus/numpy`): each, read as a `.npy` and as a zip
/// archive with every member read, ends in arrays or the reader's own error naming the file.
final class NumPyFuzzCorpusTests: XCTestCase {
    func testNumPyCorpus() throws {
        try checkCorpusOutcomes("numpy", mustLoad: 2) { bytes in
            func describe(_ a: NumPy.Array) -> String {
                switch a.elements {
                case .bytes: return "bytes \(a.shape)"
                case .floats: return "floats \(a.shape)"
                case .integers: return "integers \(a.shape)"
                }
            }
            var parts: [String] = []
            do { parts.append("npy " + describe(try NumPy.parse(bytes, path: "corpus"))) } catch let e as FileError {
                guard e.path == "corpus" else { return nil }
                parts.append("npy error: \(e.problem)")
            } catch { return nil }
            do {
                let archive = try ZipArchive(bytes: bytes, path: "corpus")
                for name in archive.names {
                    do {
                        guard let member = try archive.member(name) else { return nil }
                        parts.append("\(name): " + describe(try NumPy.parse(member, path: "corpus")))
                    } catch let e as FileError {
                        guard e.path == "corpus" else { return nil }
                        parts.append("\(name) error: \(e.problem)")
                    }
                }
            } catch let e as FileError {
                guard e.path == "corpus" else { return nil }
                parts.append("zip error: \(e.problem)")
            } catch { return nil }
            let loads = parts.contains { !$0.contains("error") }
            return (loads ? "loads: " : "error: ") + parts.joined(separator: "; ")
        }
    }

    /// Hand-made headers: versions, types, order and sizes, each read or refused by name.
    func testHeadersAreReadOrRefusedByName() throws {
        func npy(_ header: String, version: UInt8 = 1, data: [UInt8]) -> [UInt8] {
            let text = Array(header.utf8)
            let length =
                version == 1
                ? [UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
                : [UInt8(text.count & 0xFF), UInt8(text.count >> 8), 0, 0]
            return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + text + data
        }
        let floats = npy(
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: [0, 0, 128, 63, 0, 0, 0, 64])
        XCTAssertEqual(try NumPy.parse(floats, path: "f"), NumPy.Array(shape: [2], elements: .floats([1, 2])))
        let v2 = npy("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", version: 2, data: [255, 255, 5, 0])
        XCTAssertEqual(try NumPy.parse(v2, path: "f"), NumPy.Array(shape: [2], elements: .integers([-1, 5])))
        let cases: [([UInt8], String)] = [
            (Array("NUMPY".utf8), "is not a NumPy .npy file"),
            (npy("{'descr': '>i4', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 1]), "'>i4'"),
            (npy("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2), }", data: [1, 2, 3, 4]), "Fortran order"),
            (npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", data: [1, 2, 3]), "needs 4"),
            (npy("{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999, 99999), }", data: []), "too large"),
            (npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, x), }", data: [1, 2]), "not a tuple of sizes"),
            (npy("{'fortran_order': False, 'shape': (1,), }", data: [1]), "names no 'descr'"),
            (npy("{'descr': '|u1', 'shape': (1,), }", version: 7, data: [1]), "version 7")
        ]
        for (bytes, says) in cases {
            XCTAssertThrowsError(try NumPy.parse(bytes, path: "f"), says) {
                XCTAssertTrue("\($0)".hasPrefix("f: ") && "\($0)".contains(says), "'\($0)' should say '\(says)'")
            }
        }
    }
}
