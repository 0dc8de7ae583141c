import AtomicIO
import Foundation

/// One float32 array as a file holds it: a shape and its values, row-major.
public struct StoredArray: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "\(values.count) values for shape \(shape)")
        self.shape = shape; self.values = values
    }
}

/// The safetensors file format (https://github.com/huggingface/safetensors), float32 only:
///
///     u64 little-endian N | N bytes of JSON header | tensor bytes
///
/// The header maps each name to {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}
/// (offsets into the bytes after the header) and may hold "__metadata__": {string: string}.
/// numpy (`safetensors.numpy.load_file`) and PyTorch read these files directly.
public enum SafeTensors {
    public typealias FormatError = FileError

    /// Read every tensor and the metadata. The file is checked before anything is allocated from
    /// it: header length within the file, valid JSON, F32 only, shapes matching byte ranges, ranges
    /// inside the data and not overlapping.
    public static func read(path: String) throws -> (arrays: [String: StoredArray], metadata: [String: String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(
                path: path, problem: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String) throws -> (
        arrays: [String: StoredArray], metadata: [String: String]
    ) {
        func fail(_ p: String) -> FormatError { FormatError(path: path, problem: p) }
        guard data.count >= 8 else { throw fail("too short for a safetensors file (\(data.count) bytes)") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        guard headerLength <= UInt64(data.count - 8), headerLength <= 100_000_000 else {
            throw fail("header length \(headerLength) is larger than the file (\(data.count) bytes)")
        }
        let headerEnd = 8 + Int(headerLength)
        guard let header = JSONValue.parse(data.subdata(in: 8..<headerEnd))?.object else {
            throw fail("header is not a JSON object")
        }
        let body = data.count - headerEnd
        var metadata: [String: String] = [:]
        var arrays: [String: StoredArray] = [:]
        var ranges: [(Int, Int, String)] = []
        // In name order, so that a file with several faults is always reported by the same one.
        for (name, entry) in header.sorted(by: { $0.key < $1.key }) {
            if name == "__metadata__" {
                guard let m = entry.object, case let strings = m.compactMapValues(\.string), strings.count == m.count
                else { throw fail("__metadata__ must map strings to strings") }
                metadata = strings
                continue
            }
            guard let dtype = entry["dtype"]?.string, let shape = Self.integers(entry["shape"]),
                let offsets = Self.integers(entry["data_offsets"]), offsets.count == 2
            else {
                throw fail("tensor '\(name)' needs dtype, shape and data_offsets")
            }
            guard dtype == "F32" else { throw fail("tensor '\(name)' has dtype \(dtype); only F32 is supported") }
            guard shape.allSatisfy({ $0 >= 0 && $0 <= 1 << 31 }) else {
                throw fail("tensor '\(name)' has an invalid shape \(shape)")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= body else {
                throw fail("tensor '\(name)' bytes \(begin)..<\(end) lie outside the data (\(body) bytes)")
            }
            var count = 1
            for d in shape {
                let (p, o) = count.multipliedReportingOverflow(by: d)
                guard !o, p <= body else { throw fail("tensor '\(name)' shape \(shape) is larger than the file") }
                count = p
            }
            guard end - begin == count * 4 else {
                throw fail(
                    "tensor '\(name)' shape \(shape) needs \(count * 4) bytes but its range holds \(end - begin)")
            }
            ranges.append((begin, end, name))
        }
        ranges.sort { ($0.0, $0.2) < ($1.0, $1.2) }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.0 < a.1 {
            throw fail("tensors '\(a.2)' and '\(b.2)' overlap")
        }
        data.withUnsafeBytes { raw in
            for (begin, end, name) in ranges {
                let shape = Self.integers(header[name]?["shape"])!
                let values = [Float](unsafeUninitializedCapacity: (end - begin) / 4) { buffer, count in
                    memcpy(buffer.baseAddress!, raw.baseAddress! + headerEnd + begin, end - begin)
                    count = (end - begin) / 4
                }
                arrays[name] = StoredArray(shape: shape, values: values)
            }
        }
        return (arrays, metadata)
    }

    /// A list of whole numbers, or nil.
    static func integers(_ value: JSONValue?) -> [Int]? {
        guard let list = value?.array else { return nil }
        let numbers = list.compactMap(\.integer)
        return numbers.count == list.count ? numbers : nil
    }

    /// Serialise with names in sorted order, so equal tensors give byte-identical files.
    public static func encode(_ arrays: [String: StoredArray], metadata: [String: String] = [:]) -> Data {
        var entries: [String] = []
        var offset = 0
        let names = arrays.keys.sorted()
        for name in names {
            let a = arrays[name]!
            let shape = a.shape.map(String.init).joined(separator: ",")
            entries.append(
                "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + a.values.count * 4)]}"
            )
            offset += a.values.count * 4
        }
        if !metadata.isEmpty {
            let m = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }.joined(
                separator: ",")
            entries.insert("\"__metadata__\":{\(m)}", at: 0)
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while (8 + header.count) % 8 != 0 { header.append(0x20) }  // pad so tensor data stays 8-byte aligned
        var out = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for name in names { arrays[name]!.values.withUnsafeBufferPointer { out.append($0) } }
        return out
    }

    /// Write atomically (temporary file, fsync, rename).
    public static func write(_ arrays: [String: StoredArray], metadata: [String: String] = [:], to path: String) throws
    {
        try AtomicFile.write(encode(arrays, metadata: metadata), to: path)
    }

    static func jsonString(_ s: String) -> String {
        let d = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
        return String(decoding: d.dropFirst().dropLast(), as: UTF8.self)
    }
}
