import Datasets
import Foundation
import Tensor

/// How much of its inputs' handwriting a style-transfer sheet carries into the rows it generates.
///
/// A sheet has one row of input digits (one label) and a row per other label, each column the
/// same input re-drawn. Three attributes of each tile (`ManifoldVariation.shape`): ink (mean
/// intensity: stroke weight), width (the standard deviation of the ink's column) and slant (the
/// shear μ11/μ02). An attribute's carry is, averaged over the generated rows, the standard
/// deviation of that attribute across the row's columns divided by the same across the inputs:
/// 1 when the inputs' variation comes through whole, 0 when every column draws the same digit.
/// Thin inputs that come back medium squeeze the ink carry, whatever the slant does.
public struct StyleCarry: Codable, Equatable, Sendable {
    public let inkCarry: Double, widthCarry: Double, slantCarry: Double
    /// The generated rows' mean ink over the inputs' (1 = as bold as the inputs).
    public let inkRatio: Double
    /// The Pearson correlation, across columns, of a generated row's ink with the inputs' ink,
    /// averaged over the generated rows: is a bold input's column bold in every row?
    public let inkCorrelation: Double
    /// Columns (inputs) the sheet has, summed over the sheets of a mean.
    public let columns: Int

    init(
        inkCarry: Double, widthCarry: Double, slantCarry: Double, inkRatio: Double, inkCorrelation: Double, columns: Int
    ) {
        self.inkCarry = inkCarry; self.widthCarry = widthCarry; self.slantCarry = slantCarry
        self.inkRatio = inkRatio; self.inkCorrelation = inkCorrelation; self.columns = columns
    }

    /// The carry of a sheet given as tile shapes, `rows[r][c]`, whose row `inputRow` holds the
    /// inputs. An attribute in which the inputs do not vary has no carry (NaN). Nil when the sheet
    /// has fewer than two columns or two rows, rows of unequal length, or inputs that vary in
    /// none of ink, width and slant (nothing to carry).
    public init?(rows: [[ManifoldVariation.TileShape]], inputRow: Int) {
        guard rows.indices.contains(inputRow), rows.count >= 2 else { return nil }
        let n = rows[inputRow].count
        guard n >= 2, rows.allSatisfy({ $0.count == n }) else { return nil }
        let inputs = rows[inputRow]
        let generated = rows.indices.filter { $0 != inputRow }.map { rows[$0] }
        func carry(_ attribute: (ManifoldVariation.TileShape) -> Double) -> Double {
            let base = Self.deviation(inputs.map(attribute))
            guard base > 0 else { return .nan }
            return generated.map { Self.deviation($0.map(attribute)) / base }.reduce(0, +) / Double(generated.count)
        }
        let (ink, width, slant) = (carry(\.ink), carry(\.width), carry(\.slant))
        guard !(ink.isNaN && width.isNaN && slant.isNaN) else { return nil }
        let inputInk = inputs.map(\.ink)
        let meanInput = inputInk.reduce(0, +) / Double(n)
        let meanGenerated = generated.flatMap { $0.map(\.ink) }.reduce(0, +) / Double(generated.count * n)
        let correlations = generated.map { Self.correlation($0.map(\.ink), inputInk) }
        self.init(
            inkCarry: ink, widthCarry: width, slantCarry: slant,
            inkRatio: meanInput > 0 ? meanGenerated / meanInput : .nan,
            inkCorrelation: correlations.reduce(0, +) / Double(correlations.count), columns: n)
    }

    /// The carry of a sheet of images `tiles` [rows * columns, H, W, 1] in row-major order.
    public init?(tiles: Tensor, rows: Int, inputRow: Int) {
        let (count, h, w) = (tiles.shape[0], tiles.shape[1], tiles.shape[2])
        guard rows > 0, count % rows == 0, tiles.count == count * h * w else { return nil }
        let columns = count / rows
        let shapes = (0..<rows).map { r in
            (0..<columns).map { c in ManifoldVariation.shape(tiles.data + (r * columns + c) * h * w, h: h, w: w) }
        }
        self.init(rows: shapes, inputRow: inputRow)
    }

    /// The mean of several sheets' carries (one per source label), each field averaged; nil for none.
    public init?(mean sheets: [StyleCarry]) {
        guard !sheets.isEmpty else { return nil }
        let n = Double(sheets.count)
        func mean(_ f: (StyleCarry) -> Double) -> Double { sheets.map(f).reduce(0, +) / n }
        self.init(
            inkCarry: mean(\.inkCarry), widthCarry: mean(\.widthCarry), slantCarry: mean(\.slantCarry),
            inkRatio: mean(\.inkRatio), inkCorrelation: mean(\.inkCorrelation),
            columns: sheets.map(\.columns).reduce(0, +))
    }

    /// Population standard deviation.
    static func deviation(_ v: [Double]) -> Double {
        let m = v.reduce(0, +) / Double(v.count)
        return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
    }

    /// Pearson correlation of two equally long series (0 where either is constant).
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) { ab += (x - ma) * (y - mb); aa += (x - ma) * (x - ma); bb += (y - mb) * (y - mb) }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 0
    }
}

/// Do thin digits come back thin? Test digits sorted by their own ink and cut into ten groups of
/// equal size: each group's mean ink, and the mean ink of their reconstructions dec(z_mean(x), y).
public struct InkDecile: Codable, Equatable, Sendable {
    public let inputInk: Double, reconstructionInk: Double

    /// The ten deciles of `inputs` [N, H, W, 1] and their reconstructions (N >= 10).
    public static func deciles(inputs: Tensor, reconstructions: Tensor) -> [InkDecile] {
        precondition(inputs.shape == reconstructions.shape && inputs.shape[0] >= 10)
        return deciles(zip(inks(inputs), inks(reconstructions)).map { ($0, $1) })
    }

    /// Each image's mean intensity, of images [N, H, W, 1].
    public static func inks(_ t: Tensor) -> [Double] {
        let n = t.shape[0], size = t.count / max(n, 1)
        return (0..<n).map { i in
            var s: Float = 0
            for p in 0..<size { s += t.data[i * size + p] }
            return Double(s) / Double(size)
        }
    }

    /// The ten deciles of (input ink, reconstruction ink) pairs, by input ink (10 pairs or more).
    public static func deciles(_ pairs: [(input: Double, reconstruction: Double)]) -> [InkDecile] {
        precondition(pairs.count >= 10)
        let n = pairs.count, sorted = pairs.sorted { $0.input < $1.input }
        return (0..<10).map { d in
            let group = sorted[(d * n / 10)..<((d + 1) * n / 10)]
            let k = Double(group.count)
            return InkDecile(
                inputInk: group.map(\.input).reduce(0, +) / k,
                reconstructionInk: group.map(\.reconstruction).reduce(0, +) / k)
        }
    }
}

extension InkDecile {
    /// The reconstructions' ink range from the thinnest decile to the boldest, over the inputs'.
    public static func rangeKept(_ deciles: [InkDecile]) -> Double? {
        guard let a = deciles.first, let b = deciles.last, b.inputInk > a.inputInk else { return nil }
        return (b.reconstructionInk - a.reconstructionInk) / (b.inputInk - a.inputInk)
    }
}

/// A picture of a sheet (a PNG of digits in a grid, such as the article's figure) as tiles the
/// measures read: cut into `rows` x `columns` equal cells, each averaged down to 28x28 (every
/// source pixel counted by the share of it that falls in each target pixel).
public enum SheetPicture {
    /// A picture's luminance (1 = white) as ink (1 = full stroke): dark strokes on a light ground
    /// (the border's mean luminance above one half) through `map` taken back off (`GreyMap.ink`:
    /// the notebook's figures and this program's pictures show ink through 'Greys'), light on dark
    /// kept as it is.
    public static func ink(
        luminance: [Float], width: Int, height: Int, map: GreyMap
    ) -> (ink: [Float], inverted: Bool) {
        precondition(luminance.count == width * height && width > 0 && height > 0)
        var border = 0.0, count = 0
        for x in 0..<width { border += Double(luminance[x] + luminance[(height - 1) * width + x]); count += 2 }
        for y in 0..<height { border += Double(luminance[y * width] + luminance[y * width + width - 1]); count += 2 }
        let inverted = border / Double(count) > 0.5
        guard inverted else { return (luminance, false) }
        return (luminance.map { Float(map.ink(luminance: Double($0))) }, true)
    }

    /// `ink` is the picture's intensity, row-major, `width` x `height`, 1 = ink; `grid` the box the
    /// cells divide (the whole picture by default).
    /// Returns [rows * columns, 28, 28, 1] in row-major order of cells.
    public static func tiles(
        ink: [Float], width: Int, height: Int, rows: Int, columns: Int, side: Int = 28, grid: SheetGrid? = nil
    ) -> Tensor {
        precondition(ink.count == width * height && rows > 0 && columns > 0 && width >= columns && height >= rows)
        let box = grid ?? .whole(width: width, height: height)
        let out = Tensor(shape: [rows * columns, side, side, 1])
        let cellW = (box.x1 - box.x0) / Double(columns), cellH = (box.y1 - box.y0) / Double(rows)
        let xs = (0..<columns).map {
            weights(from: box.x0 + Double($0) * cellW, span: cellW, cells: side, limit: width)
        }
        let ys = (0..<rows).map { weights(from: box.y0 + Double($0) * cellH, span: cellH, cells: side, limit: height) }
        for r in 0..<rows {
            for c in 0..<columns {
                let tile = out.data + (r * columns + c) * side * side
                for (ty, yw) in ys[r].enumerated() {
                    for (tx, xw) in xs[c].enumerated() {
                        var sum = 0.0, area = 0.0
                        for (y, wy) in yw {
                            for (x, wx) in xw {
                                sum += Double(ink[y * width + x]) * wy * wx
                                area += wy * wx
                            }
                        }
                        tile[ty * side + tx] = Float(area > 0 ? sum / area : 0)
                    }
                }
            }
        }
        return out
    }

    /// For each of `cells` target pixels covering [from, from + span), the source pixels it
    /// overlaps with the length of each overlap.
    static func weights(from start: Double, span: Double, cells: Int, limit: Int) -> [[(Int, Double)]] {
        let step = span / Double(cells)
        return (0..<cells).map { i in
            let a = start + Double(i) * step, b = a + step
            let first = max(0, Int(a.rounded(.down)))
            return (first..<max(first, min(limit, Int(b.rounded(.up))))).compactMap { p in
                let overlap = min(b, Double(p + 1)) - max(a, Double(p))
                return overlap > 0 ? (p, overlap) : nil
            }
        }
    }
}
