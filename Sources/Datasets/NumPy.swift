import AtomicIO
import Foundation

/// NumPy's `.npy` format, as `numpy.save` writes it: the magic `\x93NUMPY`, a version (1.0, 2.0 or
/// 3.0), the length of a header (2 bytes in version 1, 4 after), the header itself (a Python dict
/// literal naming `descr`, `fortran_order` and `shape`), then the array's bytes in C order.
/// Every byte is checked before it is trusted: a size that does not fit, an unknown type, a
/// header that is not the dict numpy writes, an array shorter or longer than its shape.
public enum NumPy {
    /// An array read from a `.npy` file: its shape and its elements, widened to one of three kinds.
    public struct Array: Sendable, Equatable {
        public let shape: [Int]
        public let elements: Elements
        public var count: Int { shape.reduce(1, *) }

        public init(shape: [Int], elements: Elements) { self.shape = shape; self.elements = elements }
    }

    public enum Elements: Sendable, Equatable {
        /// uint8: what images are stored as.
        case bytes([UInt8])
        /// float32 or float64, as Float.
        case floats([Float])
        /// Any integer type (or bool): what labels are stored as.
        case integers([Int])
    }

    /// The most elements a file may declare (a hostile header cannot make us allocate without bound).
    public static let maxElements = 1 << 31

    public static func read(path: String) throws -> Array {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(
                path: path, FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        return try parse([UInt8](data), path: path)
    }

    /// Parse the bytes of a `.npy` file; `path` names them in errors.
    public static func parse(_ b: [UInt8], path: String) throws -> Array {
        func bad(_ problem: String) -> FileError { FileError(path: path, problem) }
        let magic: [UInt8] = [0x93] + Swift.Array("NUMPY".utf8)
        guard b.count >= 10, b.prefix(6).elementsEqual(magic) else { throw bad("is not a NumPy .npy file") }
        let major = b[6]
        let (headerLength, headerStart): (Int, Int)
        switch major {
        case 1: (headerLength, headerStart) = (Int(b[8]) | Int(b[9]) << 8, 10)
        case 2, 3:
            guard b.count >= 12 else { throw bad("is a truncated .npy file") }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            headerStart = 12
        default: throw bad(".npy version \(major) is not one this program reads (1, 2 or 3)")
        }
        guard headerLength <= b.count - headerStart, headerLength <= 1 << 20 else {
            throw bad("its header runs past the end of the file")
        }
        // The header is shown in messages: control characters become '?', so that each stays one line.
        let header = String(
            String(decoding: b[headerStart..<(headerStart + headerLength)], as: UTF8.self).unicodeScalars.map {
                $0.value < 32 || $0.value == 127 ? "?" : Character($0)
            })
        let (descr, fortran, shape) = try parseHeader(header, bad: bad)
        var count = 1
        for d in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= maxElements else { throw bad("its shape \(shape) is too large") }
            count = p
        }
        guard !fortran || shape.count <= 1 else {
            throw bad("is stored in Fortran order; save it in C order (numpy's default)")
        }
        let type = try elementType(descr, bad: bad)
        let body = b[(headerStart + headerLength)...]
        guard body.count == count * type.size else {
            throw bad("holds \(body.count) bytes of data; its shape \(shape) of \(descr) needs \(count * type.size)")
        }
        return Array(shape: shape, elements: type.decode(body))
    }

    /// The dict numpy writes: `{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }`.
    static func parseHeader(_ header: String, bad: (String) -> FileError) throws -> (String, Bool, [Int]) {
        func value(_ key: String) -> Substring? {
            guard let k = header.range(of: "'\(key)':") else { return nil }
            return header[k.upperBound...].drop { $0 == " " }
        }
        guard let d = value("descr"), d.first == "'", let end = d.dropFirst().firstIndex(of: "'") else {
            throw bad("its header names no 'descr'")
        }
        let descr = String(d[d.index(after: d.startIndex)..<end])
        guard let f = value("fortran_order"), f.hasPrefix("True") || f.hasPrefix("False") else {
            throw bad("its header names no 'fortran_order'")
        }
        guard let s = value("shape"), s.first == "(", let close = s.firstIndex(of: ")") else {
            throw bad("its header names no 'shape'")
        }
        let items = s[s.index(after: s.startIndex)..<close].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        let shape = items.compactMap { Int($0) }
        guard shape.count == items.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw bad("its header's shape '\(s[...close])' is not a tuple of sizes")
        }
        return (descr, f.hasPrefix("True"), shape)
    }

    /// How to read one element type (little-endian only, as numpy writes on every machine we run on).
    struct ElementType {
        let size: Int
        let decode: (ArraySlice<UInt8>) -> Elements
    }

    static func elementType(_ descr: String, bad: (String) -> FileError) throws -> ElementType {
        /// Little-endian integers of `size` bytes, signed or not.
        func integers(_ size: Int, signed: Bool) -> ElementType {
            ElementType(size: size) { body in
                let b = Swift.Array(body)
                return .integers(
                    (0..<(b.count / size)).map { i in
                        var v: UInt64 = 0
                        for k in 0..<size { v |= UInt64(b[i * size + k]) << (8 * k) }
                        guard signed, size < 8, v & (1 << (8 * size - 1)) != 0 else {
                            return Int(truncatingIfNeeded: v)
                        }
                        return Int(truncatingIfNeeded: v) - (1 << (8 * size))
                    })
            }
        }
        switch descr {
        case "|u1", "<u1", "u1": return ElementType(size: 1) { .bytes(Swift.Array($0)) }
        case "|b1", "<b1": return integers(1, signed: false)
        case "|i1", "<i1": return integers(1, signed: true)
        case "<i2": return integers(2, signed: true)
        case "<u2": return integers(2, signed: false)
        case "<i4": return integers(4, signed: true)
        case "<u4": return integers(4, signed: false)
        case "<i8": return integers(8, signed: true)
        case "<u8": return integers(8, signed: false)
        case "<f4":
            return ElementType(size: 4) { body in
                let b = Swift.Array(body)
                return .floats(
                    (0..<(b.count / 4)).map { i in
                        Float(
                            bitPattern: UInt32(b[4 * i]) | UInt32(b[4 * i + 1]) << 8 | UInt32(b[4 * i + 2]) << 16
                                | UInt32(b[4 * i + 3]) << 24)
                    })
            }
        case "<f8":
            return ElementType(size: 8) { body in
                let b = Swift.Array(body)
                return .floats(
                    (0..<(b.count / 8)).map { i in
                        var v: UInt64 = 0
                        for k in 0..<8 { v |= UInt64(b[8 * i + k]) << (8 * k) }
                        return Float(Double(bitPattern: v))
                    })
            }
        default:
            throw bad(
                "holds elements of type '\(descr)'; images must be uint8 or float, labels integers (little-endian)")
        }
    }
}
