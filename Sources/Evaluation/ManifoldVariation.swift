import Foundation
import Tensor

/// How much a manifold grid changes across its tiles: a grid that draws one digit 225 times is
/// flat, one whose digits thicken, widen and lean from corner to corner is not. The style axes are
/// those a reader sees in the article's figures: ink (stroke weight), width and slant.
public struct ManifoldVariation: Codable, Equatable, Sendable {
    /// Per-pixel standard deviation across the tiles, averaged over pixels (0 = every tile the same).
    public let tileSpread: Double
    /// The 5th-to-95th percentile range across the tiles of: mean intensity (ink, in [0, 1]),
    /// the intensity-weighted standard deviation of the column coordinate (width, in pixels), and
    /// the shear μ11/μ02 (slant: columns moved per row down the digit, positive leaning left).
    public let inkRange: Double, widthRange: Double, slantRange: Double

    /// The tiles' shape and style, one value each: ink, width, slant.
    public struct TileShape: Equatable, Sendable {
        public let ink: Double, width: Double, slant: Double
    }

    /// Ink, width and slant of one image of `h` x `w` pixels at `p` (intensity as weight). A blank
    /// image has ink 0 and width and slant 0.
    public static func shape(_ p: UnsafePointer<Float>, h: Int, w: Int) -> TileShape {
        var mass = 0.0, mx = 0.0, my = 0.0
        for y in 0..<h {
            for x in 0..<w {
                let v = Double(p[y * w + x])
                mass += v; mx += v * Double(x); my += v * Double(y)
            }
        }
        guard mass > 0 else { return TileShape(ink: 0, width: 0, slant: 0) }
        mx /= mass; my /= mass
        var m20 = 0.0, m02 = 0.0, m11 = 0.0
        for y in 0..<h {
            for x in 0..<w {
                let v = Double(p[y * w + x]), dx = Double(x) - mx, dy = Double(y) - my
                m20 += v * dx * dx; m02 += v * dy * dy; m11 += v * dx * dy
            }
        }
        return TileShape(
            ink: mass / Double(h * w), width: (m20 / mass).squareRoot(), slant: m02 > 0 ? m11 / m02 : 0)
    }

    /// The variation of one grid's tiles [N, H, W, 1].
    public init(tiles: Tensor) {
        let (n, h, w) = (tiles.shape[0], tiles.shape[1], tiles.shape[2])
        precondition(n >= 1 && tiles.count == n * h * w, "ManifoldVariation: tiles [N, H, W, 1], got \(tiles.shape)")
        var spread = 0.0
        for pixel in 0..<(h * w) {
            var sum = 0.0, squares = 0.0
            for t in 0..<n {
                let v = Double(tiles.data[t * h * w + pixel])
                sum += v; squares += v * v
            }
            let mean = sum / Double(n)
            spread += max(0, squares / Double(n) - mean * mean).squareRoot()
        }
        let shapes = (0..<n).map { Self.shape(tiles.data + $0 * h * w, h: h, w: w) }
        tileSpread = spread / Double(h * w)
        inkRange = Self.range(shapes.map(\.ink))
        widthRange = Self.range(shapes.map(\.width))
        slantRange = Self.range(shapes.map(\.slant))
    }

    init(tileSpread: Double, inkRange: Double, widthRange: Double, slantRange: Double) {
        self.tileSpread = tileSpread; self.inkRange = inkRange; self.widthRange = widthRange
        self.slantRange = slantRange
    }

    /// The mean of several grids' variations (one per label).
    public init(mean of: [ManifoldVariation]) {
        let n = Double(max(of.count, 1))
        self.init(
            tileSpread: of.map(\.tileSpread).reduce(0, +) / n, inkRange: of.map(\.inkRange).reduce(0, +) / n,
            widthRange: of.map(\.widthRange).reduce(0, +) / n, slantRange: of.map(\.slantRange).reduce(0, +) / n)
    }

    /// The 95th percentile less the 5th (nearest rank): robust to a stray tile or two.
    static func range(_ values: [Double]) -> Double {
        let s = values.sorted()
        func at(_ q: Double) -> Double { s[min(s.count - 1, Int((q * Double(s.count - 1)).rounded()))] }
        return at(0.95) - at(0.05)
    }
}
