import AtomicIO
import Deflate
import Foundation

/// The members of a zip archive, as `numpy.savez` and `savez_compressed` write them (an `.npz`):
/// found through the central directory at the end, each stored or deflated, its CRC-32 checked.
/// No zip64, encryption or multi-part archives: an archive that needs them is refused by name.
public struct ZipArchive {
    public let path: String
    let bytes: [UInt8]
    /// Each member's name and where its local header starts.
    public let members: [(name: String, method: Int, crc: UInt32, compressed: Int, size: Int, offset: Int)]

    /// The most one member may inflate to (the largest `.npz` of small images is far below).
    public static let maxMemberBytes = 1 << 32

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(
                path: path, FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    public init(bytes b: [UInt8], path: String) throws {
        self.path = path
        bytes = b
        func bad(_ problem: String) -> FileError { FileError(path: path, problem) }
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        // The end-of-central-directory record: 22 bytes and a comment of up to 64 KB, at the end.
        guard b.count >= 22 else { throw bad("is not a zip archive (.npz)") }
        let lowest = max(0, b.count - 22 - 0xFFFF)
        guard let end = stride(from: b.count - 22, through: lowest, by: -1).first(where: { u32($0) == 0x0605_4B50 })
        else { throw bad("is not a zip archive (.npz): no central directory") }
        let count = u16(end + 10), directorySize = u32(end + 12), directory = u32(end + 16)
        guard count != 0xFFFF, directory != 0xFFFF_FFFF else { throw bad("is a zip64 archive, which is not read") }
        guard directory <= end, directorySize <= end - directory else {
            throw bad("its central directory lies outside the file")
        }
        var members: [(String, Int, UInt32, Int, Int, Int)] = []
        var at = directory
        for _ in 0..<count {
            guard at + 46 <= end, u32(at) == 0x0201_4B50 else { throw bad("its central directory is damaged") }
            let flags = u16(at + 8), method = u16(at + 10)
            let crc = UInt32(u32(at + 16)), compressed = u32(at + 20), size = u32(at + 24)
            let nameLength = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32), offset = u32(at + 42)
            guard at + 46 + nameLength <= end else { throw bad("its central directory is damaged") }
            // A name is shown in messages: control characters become '?', so that each stays one line.
            let name = String(
                String(decoding: b[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self).unicodeScalars.map {
                    $0.value < 32 || $0.value == 127 ? "?" : Character($0)
                })
            guard flags & 1 == 0 else { throw bad("member '\(name)' is encrypted") }
            guard method == 0 || method == 8 else {
                throw bad(
                    "member '\(name)' is compressed by method \(method); only stored and deflated members are read")
            }
            guard offset < directory else { throw bad("member '\(name)' lies outside the file") }
            members.append((name, method, crc, compressed, size, offset))
            at += 46 + nameLength + extra + comment
        }
        self.members = members
    }

    public var names: [String] { members.map(\.name) }

    /// The bytes of member `name`, inflated and checked; nil when there is no such member.
    public func member(_ name: String) throws -> [UInt8]? {
        guard let m = members.first(where: { $0.name == name }) else { return nil }
        func bad(_ problem: String) -> FileError { FileError(path: path, "member '\(name)' \(problem)") }
        let b = bytes
        guard m.offset + 30 <= b.count, b[m.offset] == 0x50, b[m.offset + 1] == 0x4B, b[m.offset + 2] == 3,
            b[m.offset + 3] == 4
        else { throw bad("has no local header") }
        let nameLength = Int(b[m.offset + 26]) | Int(b[m.offset + 27]) << 8
        let extra = Int(b[m.offset + 28]) | Int(b[m.offset + 29]) << 8
        let start = m.offset + 30 + nameLength + extra
        guard start <= b.count, m.compressed <= b.count - start else { throw bad("is cut short") }
        let stored = Array(b[start..<(start + m.compressed)])
        let content: [UInt8]
        if m.method == 0 {
            content = stored
        } else {
            do { content = try Zlib.inflate(stored, limit: min(Self.maxMemberBytes, m.size), raw: true) } catch {
                throw bad("cannot be inflated (\(error))")
            }
        }
        guard content.count == m.size else { throw bad("holds \(content.count) bytes, its header says \(m.size)") }
        guard Zlib.crc32(content) == m.crc else { throw bad("fails its checksum") }
        return content
    }
}
