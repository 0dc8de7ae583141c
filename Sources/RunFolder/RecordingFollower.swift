import Deflate
import Foundation

/// Follows a recording that another process may be appending to (`serve` while
/// `train-and-record` runs): each `poll` reads only the records appended since the last one, one
/// at a time, so its memory is bounded by one record whatever the file's size. A record still
/// being written is left for a later poll; a file cut back (a resumed run drops the snapshots
/// after its checkpoint) is read again from the start. Keeps the latest snapshot and how many
/// intact records precede it, not the whole recording: each record's checksum is checked, and
/// only the last one found in a poll is inflated.
public final class RecordingFollower {
    public let path: String
    /// Intact snapshots so far.
    public private(set) var count = 0
    public private(set) var latest: Snapshot?
    /// Where the next record starts.
    private var offset = 0

    public init(path: String) { self.path = path }

    /// Read what was appended. Returns whether anything changed; throws when the file is not a
    /// recording this build reads (the same header check as `RecordingFile.read`).
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
            try RecordingFile.checkHeader(
                [UInt8](try handle.read(upToCount: RecordingFile.header.count) ?? Data())[...], path: path)
            offset = RecordingFile.header.count
        }
        typealias Frame = RecordingFile.Frame
        var newest: (body: [UInt8], crc: UInt32)?
        var found = 0
        while size - offset >= Frame.size {
            try handle.seek(toOffset: UInt64(offset))
            guard let frame = Frame([UInt8](try handle.read(upToCount: Frame.size) ?? Data())[...]) else {
                if fromStart { break }  // damaged here: nothing after it counts
                // Not where a record starts: the file was rewritten under us. Read it again.
                reset()
                _ = try poll()
                return true
            }
            guard frame.isWhole(within: size - offset - Frame.size) else { break }  // still being written
            let body = [UInt8](try handle.read(upToCount: frame.length) ?? Data())
            // Damaged: nothing after it counts.
            guard body.count == frame.length, Zlib.crc32(body) == frame.crc else { break }
            newest = (body, frame.crc)
            found += 1
            offset += Frame.size + frame.length
        }
        guard let newest else { return false }
        guard case .success(let s) = RecordingFile.decodeBody(newest.body, crc: newest.crc),
            s.iteration > (latest?.iteration ?? -1)
        else {
            return false
        }
        count += found
        latest = s
        return true
    }

    private func reset() {
        offset = 0
        count = 0
        latest = nil
    }
}
