import Foundation

/// Follows a recording that another process may be appending to (`serve` while
/// `train-and-record` runs): each `poll` reads only the bytes appended since the last one. A
/// record still being written is left for a later poll; a file cut back (a resumed run drops the
/// snapshots after its checkpoint) is read again from the start. Keeps the latest snapshot and the
/// iteration of every one, not the whole recording.
public final class RecordingFollower {
    public let path: String
    /// The iteration of every intact snapshot, in order.
    public private(set) var iterations: [Int] = []
    public private(set) var latest: Snapshot?
    /// Where the next record starts.
    private var offset = 0

    public init(path: String) { self.path = path }

    /// Read what was appended. Returns whether anything changed; throws when the file is not a
    /// recording at all.
    @discardableResult
    public func poll() throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let changed = offset != 0
            reset()
            return changed
        }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        if size < offset { reset() }
        let fromStart = offset == 0
        if fromStart {
            guard size >= RecordingFile.header.count else { return false }
            try handle.seek(toOffset: 0)
            let head = [UInt8](handle.readData(ofLength: RecordingFile.header.count))
            guard Array(head.prefix(8)) == Array(RecordingFile.header.prefix(8)) else {
                throw RunError.invalid(file: path, problem: "not a vaegan-render recording (bad header)")
            }
            offset = RecordingFile.header.count
        }
        guard size > offset else { return false }
        try handle.seek(toOffset: UInt64(offset))
        let b = [UInt8](handle.readData(ofLength: size - offset))
        func u32(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24 }
        var at = 0, changed = false
        while b.count - at >= 12 {
            guard UInt32(u32(at)) == RecordingFile.recordMagic else {
                if fromStart { break }  // damaged here: nothing after it counts
                // Not where a record starts: the file was rewritten under us. Read it again.
                reset()
                _ = try poll()
                return true
            }
            let length = u32(at + 4)
            guard length <= RecordingFile.maxRecordBytes, length <= b.count - at - 12 else { break }  // still being written
            guard case .success(let s) = RecordingFile.decodeBody(Array(b[(at + 12)..<(at + 12 + length)]), crc: UInt32(u32(at + 8))),
                  s.iteration > (iterations.last ?? -1) else { break }  // a damaged record: nothing after it counts
            iterations.append(s.iteration)
            latest = s
            at += 12 + length
            changed = true
        }
        offset += at
        return changed
    }

    private func reset() {
        offset = 0
        iterations = []
        latest = nil
    }
}
