import Foundation

/// The files of a run folder the studio may serve: films, pictures, the report page and the logs,
/// found by a path that stays inside the folder. Anything else is "not found": a `..` or `.`
/// component (plain or percent-encoded), an absolute path, a hidden or temporary file, a symlink
/// that leads out of the folder, a folder, or a kind of file not listed here.
enum RunFiles {
    static let contentTypes = [
        "mp4": "video/mp4", "gif": "image/gif", "png": "image/png", "html": "text/html; charset=utf-8",
        "json": "application/json", "csv": "text/csv; charset=utf-8",
    ]

    /// The real path of the file `rawPath` (as it came in the URL, percent-encoded, relative to
    /// the folder) names under `root`, or nil.
    static func resolve(root: String, rawPath: Substring) -> String? {
        guard let path = String(rawPath).removingPercentEncoding, !path.isEmpty, !path.hasPrefix("/") else { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && !$0.contains("\0") && !$0.contains("\\") }) else { return nil }
        guard let ext = parts.last?.split(separator: ".").last, contentTypes[String(ext).lowercased()] != nil else { return nil }
        guard let real = realPath(root + "/" + path), let realRoot = realPath(root), real.hasPrefix(realRoot + "/") else { return nil }
        var s = stat()
        guard stat(real, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG else { return nil }
        return real
    }

    static func contentType(of path: String) -> String {
        contentTypes[(path as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// What a `Range: bytes=...` header asks of a file.
    enum Requested: Equatable {
        /// No header, or one this does not parse (which HTTP allows a server to ignore).
        case whole
        case part(Range<Int>)
        /// Outside the file (416).
        case unsatisfiable
    }

    static func byteRange(_ header: String?, size: Int) -> Requested {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return .whole }
        let spec = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard spec.count == 2 else { return .whole }
        let first = Int(spec[0].trimmingCharacters(in: .whitespaces)), last = Int(spec[1].trimmingCharacters(in: .whitespaces))
        func part(_ r: Range<Int>) -> Requested { r.isEmpty ? .unsatisfiable : .part(r) }
        switch (first, last, spec[0].isEmpty, spec[1].isEmpty) {
        case (let a?, nil, false, true) where a >= 0:                 // bytes=a-
            return part(min(a, size)..<size)
        case (let a?, let b?, false, false) where a >= 0 && a <= b:   // bytes=a-b
            return part(min(a, size)..<min(b + 1, size))
        case (nil, let n?, true, false) where n > 0:                  // bytes=-n, the last n
            return part(max(0, size - n)..<size)
        default:
            return .whole
        }
    }
}
