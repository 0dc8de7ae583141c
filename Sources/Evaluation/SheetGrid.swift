import Foundation

/// Where the grid of digits lies in a picture of a style-transfer sheet: the program's own sheets
/// (`export style-transfer`, the report's) carry a title above the grid and the rows' names to
/// its left, and other sheets (the article's figure) may be the grid alone. Found from the
/// pixels, one axis at a time: the grid is `cells` equal cells whose boundaries run through
/// blank ground (a digit keeps a margin in its cell), so along each axis the boundaries of the
/// true grid fall where the picture's ink profile is near nought. Of every comb of `cells` equal
/// cells covering at least 40% of the axis, those whose boundaries are as clean as the cleanest
/// (within 3 times its ink, or 2% of the cells' mean ink) are kept. A picture that is all grid
/// (the article's figure) is cut whole where the whole axis's comb is among them. Otherwise the
/// ones that end at the axis's end are preferred where there are any (the program draws its grid
/// at the bottom right of its sheets, `Sheets.digitRows`, so a heavy title or row name cannot
/// pull the grid off it); of those holding the most ink (every digit: taking in a title or a name
/// as well would need boundaries through digits), the middle one by cell size, whose boundaries
/// lie in the middle of the blank ground between the digits.
public struct SheetGrid: Codable, Equatable, Sendable {
    /// The grid's box in picture pixels: columns [x0, x1), rows [y0, y1).
    public let x0: Double, y0: Double, x1: Double, y1: Double

    public init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
    }

    /// The whole picture.
    public static func whole(width: Int, height: Int) -> SheetGrid {
        SheetGrid(x0: 0, y0: 0, x1: Double(width), y1: Double(height))
    }

    /// A comb's boundaries hold at most this share of the cells' mean ink density, or no grid is
    /// found: a picture whose every split into equal cells runs through ink holds no grid.
    static let cleanest = 0.25

    /// The grid of `rows` x `columns` cells in `ink` (row-major, `width` x `height`, 1 = ink), or
    /// nil where none is found. Rows first (the row names lie inside the rows, the title above
    /// them), then the columns over the rows found (without the title), then the rows again over
    /// the columns found (without the names).
    public static func find(ink: [Float], width: Int, height: Int, rows: Int, columns: Int) -> SheetGrid? {
        precondition(ink.count == width * height && rows > 0 && columns > 0)
        func rowProfile(_ x: Range<Int>) -> [Double] {
            (0..<height).map { y in
                var s = 0.0
                for i in x { s += Double(ink[y * width + i]) }
                return s
            }
        }
        func columnProfile(_ y: Range<Int>) -> [Double] {
            var p = [Double](repeating: 0, count: width)
            for j in y { for i in 0..<width { p[i] += Double(ink[j * width + i]) } }
            return p
        }
        guard let firstRows = comb(rowProfile(0..<width), cells: rows) else { return nil }
        guard let cols = comb(columnProfile(pixels(firstRows, limit: height)), cells: columns),
            let rowsAgain = comb(rowProfile(pixels(cols, limit: width)), cells: rows)
        else { return nil }
        return SheetGrid(x0: cols.start, y0: rowsAgain.start, x1: cols.end, y1: rowsAgain.end)
    }

    /// The whole pixels an interval covers.
    static func pixels(_ span: (start: Double, end: Double), limit: Int) -> Range<Int> {
        let a = max(0, min(limit, Int(span.start.rounded(.down))))
        return a..<max(a, min(limit, Int(span.end.rounded(.up))))
    }

    /// The best comb of `cells` equal cells along one axis whose ink profile is `profile` (see
    /// the type's description), as its interval; nil where none has clean boundaries.
    static func comb(_ profile: [Double], cells n: Int) -> (start: Double, end: Double)? {
        let length = profile.count
        guard length >= 2 * n else { return nil }
        var prefix = [Double](repeating: 0, count: length + 1)
        for i in 0..<length { prefix[i + 1] = prefix[i] + profile[i] }
        func ink(_ a: Int, _ b: Int) -> Double {
            let (a, b) = (max(0, min(length, a)), max(0, min(length, b)))
            return b > a ? prefix[b] - prefix[a] : 0
        }
        // Cell sizes from 40% of the axis over `n` up to the whole axis over `n`, 0.2% apart.
        let largest = Double(length) / Double(n)
        var sizes: [Double] = []
        var t = 0.4 * largest
        while t < largest { sizes.append(t); t *= 1.002 }
        sizes.append(largest)
        /// Every comb: its boundaries' mean ink density over its cells' (q), its cell size, start and ink.
        func each(_ body: (_ q: Double, _ t: Double, _ s: Int, _ span: Double) -> Void) {
            for t in sizes {
                let window = max(1, Int((t / 28).rounded()))  // a digit's pixel either side
                let step = max(1, Int(t / 112))
                let last = Int((Double(length) - Double(n) * t + 1e-9).rounded(.down))
                guard last >= 0 else { continue }
                for s in stride(from: 0, through: last, by: step) {
                    let span = ink(s, Int((Double(s) + Double(n) * t).rounded()))
                    guard span > 0 else { continue }
                    var boundaries = 0.0
                    for k in 0...n {
                        let b = Int((Double(s) + Double(k) * t).rounded())
                        boundaries += ink(b - window, b + window) / Double(2 * window)
                    }
                    body((boundaries / Double(n + 1)) / (span / (Double(n) * t)), t, s, span)
                }
            }
        }
        var lowest = Double.infinity
        var whole = Double.infinity  // the whole axis's comb
        each { q, t, s, _ in
            lowest = min(lowest, q)
            if s == 0 && t == largest { whole = q }
        }
        guard lowest <= cleanest else { return nil }
        let allowed = max(0.02, 3 * lowest)
        // A picture that is all grid is cut whole.
        if whole <= allowed { return (0, Double(length)) }
        // The clean combs, and those of them that end at the axis's end (within a digit's pixel),
        // as the program draws its grid, at the bottom right of a sheet.
        var clean: [(span: Double, t: Double, s: Int)] = [], flush: [(span: Double, t: Double, s: Int)] = []
        each { q, t, s, span in
            guard q <= allowed else { return }
            clean.append((span, t, s))
            if abs(Double(s) + Double(n) * t - Double(length)) <= max(2, t / 28) { flush.append((span, t, s)) }
        }
        // Of those holding the most ink (all the digits), the middle one by cell size: its
        // boundaries lie in the middle of the blank ground the digits leave.
        let pool = flush.isEmpty ? clean : flush
        guard let most = pool.map(\.span).max() else { return nil }
        let full = pool.filter { $0.span >= most * 0.995 }.sorted { ($0.t, $0.s) < ($1.t, $1.s) }
        let middle = full[full.count / 2]
        return (Double(middle.s), Double(middle.s) + Double(n) * middle.t)
    }
}
