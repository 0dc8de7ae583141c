import Foundation
import RunFolder
import XCTest

/// The checkpoint format: round trip, and hostile files that must give a clear error.
final class SafeTensorsTests: XCTestCase {
    func testRoundTripIsExactAndDeterministic() throws {
        let arrays = [
            "b.kernel": StoredArray(shape: [3, 4], values: (0..<12).map { Float($0) * 0.37 - 2 }),
            "a.bias": StoredArray(shape: [4], values: [.pi, -0, 1e-30, .greatestFiniteMagnitude]),
            "s": StoredArray(shape: [0], values: [])
        ]
        let data = SafeTensors.encode(arrays, metadata: ["iteration": "7", "quote": "a\"b"])
        XCTAssertEqual(data, SafeTensors.encode(arrays, metadata: ["quote": "a\"b", "iteration": "7"]))
        let (back, meta) = try SafeTensors.parse(data, path: "x")
        XCTAssertEqual(meta, ["iteration": "7", "quote": "a\"b"])
        XCTAssertEqual(back, arrays)
    }

    /// The layout others read: the header's length, then JSON naming dtype, shape and byte range,
    /// then the little-endian floats, each tensor's bytes 8-aligned after the header.
    func testLayoutAsOtherReadersExpectIt() throws {
        let data = SafeTensors.encode(["w": StoredArray(shape: [2], values: [1, -2])])
        let headerLength = Int(data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        XCTAssertEqual((8 + headerLength) % 8, 0)
        let header = try XCTUnwrap(
            JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        let w = try XCTUnwrap(header["w"] as? [String: Any])
        XCTAssertEqual(w["dtype"] as? String, "F32")
        XCTAssertEqual(w["shape"] as? [Int], [2])
        XCTAssertEqual(w["data_offsets"] as? [Int], [0, 8])
        XCTAssertEqual([UInt8](data.suffix(8)), [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])  // 1.0 and -2.0
    }

    /// A header followed by `body` bytes.
    func file(_ header: String, body: Int = 16, declaredLength: UInt64? = nil) -> Data {
        var d = Data()
        withUnsafeBytes(of: (declaredLength ?? UInt64(header.utf8.count)).littleEndian) { d.append(contentsOf: $0) }
        d.append(contentsOf: Array(header.utf8))
        d.append(Data(count: body))
        return d
    }

    func testHostileFiles() {
        let t = { (dtype: String, shape: String, offsets: String) in
            "{\"w\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}}"
        }
        let cases: [(Data, String)] = [
            (Data([1, 2, 3]), "too short"),
            (file("{}", declaredLength: 1 << 40), "header length"),
            (file("{not json"), "not a JSON object"),
            (file("[1,2]"), "not a JSON object"),
            (file(t("F64", "[2]", "[0,16]")), "dtype F64"),
            (file(t("F32", "[3]", "[0,8]")), "needs 12 bytes"),
            (file(t("F32", "[2]", "[8,24]")), "outside the data"),
            (file(t("F32", "[2]", "[-8,0]")), "outside the data"),
            (file(t("F32", "[-2]", "[0,8]")), "invalid shape"),
            (file(t("F32", "[100000,100000,100000]", "[0,8]")), "larger than the file"),
            (file("{\"w\":{\"dtype\":\"F32\"}}"), "needs dtype, shape and data_offsets"),
            (
                file(
                    "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"
                ), "overlap"
            ),
            (file("{\"__metadata__\":{\"a\":1}}"), "__metadata__")
        ]
        for (data, expected) in cases {
            XCTAssertThrowsError(try SafeTensors.parse(data, path: "ckpt.safetensors"), expected) { error in
                XCTAssertTrue(error is SafeTensors.FormatError, "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "\(error) should say \(expected)")
                XCTAssertTrue("\(error)".hasPrefix("ckpt.safetensors: "), "\(error) should name the file")
            }
        }
    }
}
