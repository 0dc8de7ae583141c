import Foundation
import Tensor
import XCTest

/// The checkpoint format: round trip, and hostile files that must give a clear error.
final class SafeTensorsTests: XCTestCase {
    func testRoundTripIsExactAndDeterministic() throws {
        var rng = RNG(seed: 1)
        let tensors = ["b.kernel": Tensor.normal([3, 4], rng: &rng), "a.bias": Tensor.normal([4], rng: &rng), "s": Tensor(shape: [0])]
        let data = SafeTensors.encode(tensors, metadata: ["iteration": "7", "quote": "a\"b"])
        XCTAssertEqual(data, SafeTensors.encode(tensors, metadata: ["quote": "a\"b", "iteration": "7"]))
        let (back, meta) = try SafeTensors.parse(data, path: "x")
        XCTAssertEqual(meta, ["iteration": "7", "quote": "a\"b"])
        for (k, t) in tensors { XCTAssertEqual(back[k]?.shape, t.shape); XCTAssertEqual(back[k]?.array, t.array) }
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
            (file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"), "overlap"),
            (file("{\"__metadata__\":{\"a\":1}}"), "__metadata__"),
        ]
        for (data, expected) in cases {
            XCTAssertThrowsError(try SafeTensors.parse(data, path: "ckpt.safetensors"), expected) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should say \(expected)")
                XCTAssertTrue("\(error)".hasPrefix("ckpt.safetensors: "), "\(error) should name the file")
            }
        }
    }
}
