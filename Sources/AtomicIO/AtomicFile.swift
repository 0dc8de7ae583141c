import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A write that either lands whole or not at all: the bytes go to a temporary file beside the
/// target, are flushed to disk, and only then renamed over it (rename is atomic within a folder).
/// A crash or a full disk leaves the old file, never a half-written one.
public enum AtomicFile {
    /// A write that failed: the file and why.
    public typealias WriteError = FileError

    /// A temporary name in the same folder as `path`, unique to this process.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
    }

    /// Write `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        let tmp = temporaryPath(for: path)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw WriteError(path: path, problem: "cannot create (\(String(cString: strerror(errno))))")
        }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; failure = String(cString: strerror(errno)); return }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            unlink(tmp)
            throw WriteError(path: path, problem: "write failed (\(failure)); the previous file, if any, is untouched")
        }
        try commit(temporary: tmp, to: path)
    }

    /// Rename a finished temporary file over `path`, then sync the folder so the rename survives a crash.
    public static func commit(temporary tmp: String, to path: String) throws {
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw WriteError(path: path, problem: "cannot rename into place (\(reason))")
        }
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Check that `path` can be created or replaced (it is not a folder, and its folder exists and
    /// is writable), before any long work that would end by writing it.
    public static func checkWritable(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw WriteError(path: path, problem: "is a directory")
        }
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw WriteError(path: path, problem: "folder \(dir) does not exist")
        }
        guard access(dir, W_OK) == 0 else { throw WriteError(path: path, problem: "folder \(dir) is not writable") }
    }

    /// Make the folder `path` and the folders above it where they do not exist yet (as `mkdir -p`).
    /// A failure names the folder as `name` does (the flag that gave it, say) and says why: the
    /// first part of the path that exists is a file, or cannot be written.
    public static func makeFolders(_ path: String, named name: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            var above = URL(fileURLWithPath: path)
            while !FileManager.default.fileExists(atPath: above.path) && above.path != "/" {
                above.deleteLastPathComponent()
            }
            let why = above.path == path ? "it is a file" : "\(above.path) is a file or cannot be written"
            throw WriteError(path: name, problem: "cannot create the folder (\(why))")
        }
    }
}
