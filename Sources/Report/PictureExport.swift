import AtomicIO
import Canvas
import Foundation
import RunFolder
import RunModel

/// A picture `export` writes: drawn, then written where `--out` says, or under its own name in
/// the run folder.
public enum PictureExport {
    /// Why a picture cannot go where it was asked to: the one line that says so.
    public struct Problem: Error, CustomStringConvertible, Equatable, Sendable {
        public let description: String
    }

    /// Where a picture goes: `out`, or `defaultName` in the run folder `run`; a .png file whose
    /// folder can be written.
    public static func path(out: String?, run: String, defaultName: String) throws -> String {
        let path = out ?? (run as NSString).appendingPathComponent(defaultName)
        guard path.lowercased().hasSuffix(".png") else {
            throw Problem(description: "--out \(path): write a .png file")
        }
        try AtomicFile.checkWritable(path)
        return path
    }

    /// Draw a picture and write it (see `path`). Returns where it went.
    public static func write(_ draw: () throws -> Surface, out: String?, run: String, defaultName: String) throws
        -> String
    {
        let picture = try draw()
        let path = try path(out: out, run: run, defaultName: defaultName)
        try picture.writePNG(to: path)
        return path
    }

    /// A picture of one snapshot of the run in `run` (`period`, default the latest), named after it.
    public static func write(
        _ draw: (Snapshot) throws -> Surface, run: String, period: Int?, out: String?,
        defaultName: (Snapshot) -> String
    ) throws -> String {
        let s = try RecordedRun.open(run).snapshot(period: period)
        return try write({ try draw(s) }, out: out, run: run, defaultName: defaultName(s))
    }

    /// A plot drawn from the logs of the run in `run`.
    public static func write(
        _ draw: (RunDirectory, RunConfig) throws -> Surface, run: String, out: String?, defaultName: String
    ) throws -> String {
        let dir = RunDirectory(run)
        return try write(
            { try draw(dir, try RunConfig.read(from: dir.path)) }, out: out, run: run, defaultName: defaultName)
    }
}
