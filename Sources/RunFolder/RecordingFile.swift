import AtomicIO
import Deflate
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The recording: an append-only file of snapshots.
///
///     header:  "VGRECORD" | u32 version (1)
///     record:  u32 magic "SNAP" | u32 length | u32 CRC-32 of body | body (zlib of Snapshot layout)
///
/// Each append is one write followed by fsync. A crash can leave only a torn last record, which a
/// reader recognises (length past the end, or a CRC that does not hold) and skips, counting it.
/// Damage elsewhere (a flipped byte, a changed frame) costs only the records it touches: the
/// reader finds the next record whose frame and checksum hold and reads on from there.
public enum RecordingFile {
    public static let fileName = "recording.vgr"
    public static let header = Array("VGRECORD".utf8) + [1, 0, 0, 0]
    static let recordMagic: UInt32 = 0x5041_4E53  // "SNAP" little-endian
    /// A record larger than this is not one we wrote (64 grids of 960x960 colour pixels, a
    /// 64x64 colour set's, are 177 MB before compression; MNIST's ten of 420x420 far below).
    static let maxRecordBytes = 256 << 20

    /// One stretch of the file that is not an intact record, and why.
    public struct Damage: Equatable, Sendable {
        public var offset: Int
        public var problem: String
    }

    /// What a read found: the good snapshots in order, and what it had to skip.
    public struct Contents {
        public var snapshots: [Snapshot]
        /// Bytes up to the end of the last good record: where appending may continue.
        public var goodLength: Int
        /// Where each good snapshot's record ends (to cut the file back to any of them).
        public var recordEnds: [Int] = []
        /// Where each good snapshot's record starts (its frame), to copy it as it is.
        public var recordStarts: [Int] = []
        /// Records that were torn, corrupt or out of order (0 when the file is whole): one for each
        /// damaged record between good ones, and for a damaged tail the records it seems to hold.
        public var skippedRecords: Int
        /// The first damage's description, or nil when the file is whole.
        public var problem: String?
        /// Every damaged stretch, in the file's order.
        public var damaged: [Damage] = []
    }

    /// Read every intact record, skipping damaged ones, and counting what it skipped.
    public static func read(path: String, limit: Int = .max) throws -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunError.cannotRead(
                path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        return try parse([UInt8](data), path: path, limit: limit)
    }

    /// Check the file's first 12 bytes: the magic and a version this build reads.
    static func checkHeader(_ b: ArraySlice<UInt8>, path: String) throws {
        guard b.count >= header.count, b.prefix(8).elementsEqual(header.prefix(8)) else {
            throw RunError.invalid(file: path, problem: "not a vaegan-render recording (bad header)")
        }
        let version = Frame.u32(b, b.startIndex + 8)
        guard version == 1 else {
            throw RunError.invalid(
                file: path, problem: "recording version \(version) is not supported (this build reads version 1)")
        }
    }

    /// The 12 bytes before each record's body: magic, body length, body CRC-32. Every reader of
    /// the recording (`parse` and the follower) frames records with this.
    struct Frame {
        static let size = 12
        let length: Int
        let crc: UInt32

        /// The frame at the start of `b` (at least 12 bytes), or nil when the bytes there do not
        /// start a record.
        init?(_ b: ArraySlice<UInt8>) {
            let i = b.startIndex
            guard b.count >= Self.size, UInt32(Self.u32(b, i)) == recordMagic else { return nil }
            length = Self.u32(b, i + 4)
            crc = UInt32(Self.u32(b, i + 8))
        }

        /// Whether the whole body lies within the `available` bytes after the frame (a record
        /// longer than any snapshot we write never does).
        func isWhole(within available: Int) -> Bool { length <= maxRecordBytes && length <= available }

        static func u32(_ b: ArraySlice<UInt8>, _ i: Int) -> Int {
            Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24
        }
    }

    /// Parse recording bytes; `path` names them in errors.
    public static func parse(_ b: [UInt8], path: String, limit: Int = .max) throws -> Contents {
        try checkHeader(b[...], path: path)
        var contents = Contents(snapshots: [], goodLength: header.count, skippedRecords: 0, problem: nil)
        // First the framing, sequentially: where each complete record lies. Where the bytes do not
        // frame a record, or a record's length leads into bytes that frame none (its length or
        // body was changed), the reader looks for the next record whose checksum holds.
        var records: [(start: Int, length: Int, crc: UInt32)] = []
        var damaged: [Damage] = []
        var tail: (offset: Int, problem: String)?
        var at = header.count
        while at < b.count, records.count < limit {
            var problem: String?
            if let frame = Frame(b[at...]) {
                if !frame.isWhole(within: b.count - at - Frame.size) {
                    problem = "the last record is torn (\(b.count - at - Frame.size) of \(frame.length) bytes)"
                } else {
                    let end = at + Frame.size + frame.length
                    if end < b.count, Frame(b[end...]) == nil,
                        Zlib.crc32(Array(b[(at + Frame.size)..<end])) != frame.crc
                    {
                        problem = "record at offset \(at) fails its checksum"
                    } else {
                        records.append((at, frame.length, frame.crc))
                        at = end
                        continue
                    }
                }
            } else {
                problem = "bytes at offset \(at) are not a record"
            }
            guard let next = nextRecord(b, after: at) else {
                tail = (at, problem!)
                break
            }
            damaged.append(
                Damage(
                    offset: at,
                    problem: problem!.replacingOccurrences(of: "the last record", with: "the record at offset \(at)")))
            at = next
        }
        // Then checksums and bodies, in parallel (inflating is most of the work).
        var decoded = [Result<Snapshot, Error>?](repeating: nil, count: records.count)
        let frames = records
        b.withUnsafeBufferPointer { bytes in
            decoded.withUnsafeMutableBufferPointer { out in
                // The workers read the bytes and write one slot each; concurrentPerform returns
                // only when all are done, while both buffers are alive.
                nonisolated(unsafe) let out = out.baseAddress!, bytes = bytes
                DispatchQueue.concurrentPerform(iterations: frames.count) { k in
                    let r = frames[k]
                    out[k] = decodeBody(Array(bytes[(r.start + 12)..<(r.start + 12 + r.length)]), crc: r.crc)
                }
            }
        }
        for (k, r) in records.enumerated() {
            switch decoded[k]! {
            case .failure(is ChecksumMismatch):
                damaged.append(Damage(offset: r.start, problem: "record at offset \(r.start) fails its checksum"))
            case .failure(let error):
                damaged.append(Damage(offset: r.start, problem: "record at offset \(r.start) is malformed (\(error))"))
            case .success(let snapshot):
                if let last = contents.snapshots.last, snapshot.iteration <= last.iteration {
                    damaged.append(
                        Damage(
                            offset: r.start,
                            problem:
                                "record at offset \(r.start) is out of order (iteration \(snapshot.iteration) after \(last.iteration))"
                        ))
                } else {
                    contents.snapshots.append(snapshot)
                    contents.goodLength = r.start + 12 + r.length
                    contents.recordStarts.append(r.start)
                    contents.recordEnds.append(contents.goodLength)
                }
            }
        }
        damaged.sort { $0.offset < $1.offset }
        contents.skippedRecords = damaged.count
        if let tail {
            damaged.append(Damage(offset: tail.offset, problem: tail.problem))
            contents.skippedRecords += max(1, countRecordStarts(b, from: tail.offset))
        }
        contents.damaged = damaged
        contents.problem = damaged.first?.problem
        return contents
    }

    /// Where the next record after `offset` starts whose frame is whole and whose checksum holds,
    /// or nil when none follows.
    static func nextRecord(_ b: [UInt8], after offset: Int) -> Int? {
        var i = offset + 1
        while i + Frame.size <= b.count {
            if b[i] == 0x53, let frame = Frame(b[i...]), frame.isWhole(within: b.count - i - Frame.size),
                Zlib.crc32(Array(b[(i + Frame.size)..<(i + Frame.size + frame.length)])) == frame.crc
            {
                return i
            }
            i += 1
        }
        return nil
    }

    /// How many record magics follow `from`: an estimate of the snapshots a damaged tail held.
    static func countRecordStarts(_ b: [UInt8], from: Int) -> Int {
        let magic = withUnsafeBytes(of: recordMagic.littleEndian) { Array($0) }
        var n = 0, i = from
        while i + 4 <= b.count {
            if b[i..<i + 4].elementsEqual(magic) { n += 1; i += 4 } else { i += 1 }
        }
        return n
    }

    struct ChecksumMismatch: Error {}

    /// A record's body as a snapshot, if its checksum holds and it inflates and parses.
    static func decodeBody(_ body: [UInt8], crc: UInt32) -> Result<Snapshot, Error> {
        guard Zlib.crc32(body) == crc else { return .failure(ChecksumMismatch()) }
        return Result { try Snapshot(decoding: try Zlib.inflate(body, limit: maxRecordBytes)) }
    }

    /// Create an empty recording (atomically).
    public static func create(path: String) throws {
        try AtomicFile.write(Data(header), to: path)
    }

    /// Keep the file as it is now under `path.damaged` (`.damaged.2`, `.damaged.3`, ... where one
    /// is there already: an earlier one is never replaced), as a hard link: at once and whole,
    /// with no copy. Returns the name it is kept under.
    public static func keepAside(path: String) throws -> String {
        for n in 1...999 {
            let aside = path + ".damaged" + (n == 1 ? "" : ".\(n)")
            if link(path, aside) == 0 { return aside }
            guard errno == EEXIST else {
                throw RunError.cannotWrite(
                    path: aside, reason: "cannot keep the damaged recording aside (\(String(cString: strerror(errno))))"
                )
            }
        }
        throw RunError.cannotWrite(path: path + ".damaged", reason: "999 damaged recordings are kept aside already")
    }

    /// Write the recording again (atomically) with only the records of `contents` whose starts
    /// and ends it lists in `kept`, copied byte for byte.
    public static func rewrite(path: String, keeping kept: [(start: Int, end: Int)]) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunError.cannotRead(path: path, reason: "cannot be read")
        }
        var out = Data(header)
        for r in kept { out.append(data[r.start..<r.end]) }
        try AtomicFile.write(out, to: path)
    }

    /// Periods as a person reads them: "period 2", "periods 2 to 5", "periods 2, 4 to 6 and 9".
    public static func periodsText(_ periods: [Int]) -> String {
        var runs: [(Int, Int)] = []
        for p in periods.sorted() {
            if let last = runs.last, last.1 + 1 == p { runs[runs.count - 1].1 = p } else { runs.append((p, p)) }
        }
        let parts = runs.map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0) to \($0.1)" }
        let list = parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
        return (periods.count == 1 ? "period " : "periods ") + list
    }

    /// Cut the file back to `length` bytes (dropping a torn tail, or snapshots a resumed run will
    /// take again). The next append's fsync makes the cut durable with it.
    public static func truncate(path: String, to length: Int) throws {
        guard Glibc.truncate(path, off_t(length)) == 0 else {
            throw RunError.cannotWrite(path: path, reason: "cannot truncate (\(String(cString: strerror(errno))))")
        }
    }

    /// The record bytes of one snapshot.
    static func record(_ s: Snapshot) -> [UInt8] {
        let body = Zlib.deflate(s.encoded(), level: 6)
        var out: [UInt8] = []
        for v in [recordMagic, UInt32(body.count), Zlib.crc32(body)] {
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        }
        return out + body
    }

    /// Append one snapshot: a single write, then fsync, so it is on disk before training goes on.
    public static func append(_ s: Snapshot, path: String) throws {
        let bytes = record(s)
        let fd = open(path, O_WRONLY | O_APPEND)
        guard fd >= 0 else {
            throw RunError.cannotWrite(
                path: path, reason: "cannot open for appending (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        let start = lseek(fd, 0, SEEK_END)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                _ = ftruncate(fd, start)  // leave no partial record behind
                throw RunError.cannotWrite(
                    path: path, reason: "append failed (\(reason)); the recording keeps its earlier snapshots")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = ftruncate(fd, start)
            throw RunError.cannotWrite(path: path, reason: "sync failed (\(reason))")
        }
    }
}
