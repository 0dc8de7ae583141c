import Foundation

/// The files of a run folder the studio may serve: films, pictures, the report page and the logs,
/// found by a path that stays inside the folder. Anything else is "not found": a `..` or `.`
/// component (plain or percent-encoded), an absolute path, a hidden or temporary file, a folder,
/// a kind of file not listed here, or a symlink whose target is not itself such a file inside the
/// folder (the list is checked on the path asked for and again on where it really leads).
enum RunFiles {
    static let contentTypes = [
        "mp4": "video/mp4", "gif": "image/gif", "png": "image/png", "html": "text/html; charset=utf-8",
        "json": "application/json", "csv": "text/csv; charset=utf-8"
    ]

    /// The real path of the file `rawPath` (as it came in the URL, percent-encoded, relative to
    /// the folder) names under `root`, or nil.
    static func resolve(root: String, rawPath: Substring) -> String? {
        guard let path = String(rawPath).removingPercentEncoding, isServable(path),
            let real = realPath(root + "/" + path), let realRoot = realPath(root), real.hasPrefix(realRoot + "/"),
            isServable(String(real.dropFirst(realRoot.count + 1)))
        else { return nil }
        var s = stat()
        guard lstat(real, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG else { return nil }
        return real
    }

    /// A relative path of non-hidden components ending in a listed kind of file.
    static func isServable(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && !$0.contains("\0") && !$0.contains("\\") }) else {
            return false
        }
        guard let ext = parts.last?.split(separator: ".").last, parts.last!.contains(".") else { return false }
        return contentTypes[String(ext).lowercased()] != nil
    }

    static func contentType(of path: String) -> String {
        contentTypes[(path as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    /// What a `Range` header asks of a file (RFC 9110 §14).
    enum Requested: Equatable {
        /// No header, or one the server may ignore: another unit, a malformed or reversed range,
        /// several ranges (answered with the whole file, which §14.2 allows).
        case whole
        case part(Range<Int>)
        /// Nothing of the file: a first byte at or past its end, or the last 0 bytes (416).
        case unsatisfiable
    }

    /// Parse `bytes=a-b`, `bytes=a-` or `bytes=-n`. Numbers of any length are taken as they are
    /// (one too large for 64 bits counts as "past the end"); no arithmetic can overflow.
    static func byteRange(_ header: String?, size: Int) -> Requested {
        guard let header, header.hasPrefix("bytes=") else { return .whole }
        let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(",") else { return .whole }
        let ends = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard ends.count == 2 else { return .whole }
        /// A run of digits as a number (Int.max when it does not fit), nil if empty or not digits.
        func number(_ s: Substring) -> Int? {
            guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return Int(s) ?? .max
        }
        switch (number(ends[0]), number(ends[1]), ends[0].isEmpty, ends[1].isEmpty) {
        case (let first?, nil, false, true):  // bytes=a-
            return first < size ? .part(first..<size) : .unsatisfiable
        case (let first?, let last?, false, false):  // bytes=a-b
            guard first <= last else { return .whole }
            guard first < size else { return .unsatisfiable }
            return .part(first..<(last < size - 1 ? last + 1 : size))
        case (nil, let count?, true, false):  // bytes=-n, the last n
            guard count > 0, size > 0 else { return .unsatisfiable }
            return .part((count < size ? size - count : 0)..<size)
        default:
            return .whole
        }
    }
}
