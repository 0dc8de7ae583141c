import Foundation
import Tensor

/// How much of its inputs' colour a style-transfer sheet of a colour set carries into the rows it
/// generates: each tile's colour is the mean of its pixels weighted by their brightness (so that
/// the ink counts and a dark ground does not), in hue, saturation and brightness (HSV).
///
/// - Hue carry, per generated row: the cosine of the hue difference between each column and its
///   input, weighted by the input's saturation (a grey input has no hue to carry), mean over the
///   row's columns. 1 when every column keeps its input's hue; 0 when a row draws one hue for
///   inputs of hues spread round the circle; a row turned by a constant angle θ carries cos θ.
/// - Saturation and brightness carry, per generated row: the Pearson correlation across columns of
///   the row's values with its inputs' (0 where either is constant: a row of one tint).
///
/// Each is the mean over the generated rows.
public struct ColourCarry: Codable, Equatable, Sendable {
    public let hueCarry: Double, saturationCarry: Double, brightnessCarry: Double
    /// Columns (inputs) the sheet has, summed over the sheets of a mean.
    public let columns: Int

    /// A tile's colour: hue in radians in [0, 2π), saturation and brightness in [0, 1].
    public struct TileColour: Equatable, Sendable {
        public let hue: Double, saturation: Double, brightness: Double

        /// The brightness-weighted mean colour of `pixels` RGB pixels at `p`, in HSV.
        public init(_ p: UnsafePointer<Float>, pixels: Int) {
            var sum = (0.0, 0.0, 0.0), weight = 0.0
            for i in 0..<pixels {
                let r = Double(p[3 * i]), g = Double(p[3 * i + 1]), b = Double(p[3 * i + 2])
                let w = max(r, g, b)
                sum = (sum.0 + w * r, sum.1 + w * g, sum.2 + w * b)
                weight += w
            }
            // An all-black tile is black: weight 0, no hue.
            let w = max(weight, .leastNonzeroMagnitude)
            self.init(red: sum.0 / w, green: sum.1 / w, blue: sum.2 / w)
        }

        /// HSV of one colour (hue 0 for a grey).
        public init(red r: Double, green g: Double, blue b: Double) {
            let top = max(r, g, b), bottom = min(r, g, b), chroma = top - bottom
            brightness = top
            saturation = top > 0 ? chroma / top : 0
            guard chroma > 0 else {
                hue = 0
                return
            }
            let sector: Double
            if top == r {
                sector = ((g - b) / chroma).truncatingRemainder(dividingBy: 6)
            } else if top == g {
                sector = (b - r) / chroma + 2
            } else {
                sector = (r - g) / chroma + 4
            }
            hue = (sector < 0 ? sector + 6 : sector) * Double.pi / 3
        }
    }

    init(hueCarry: Double, saturationCarry: Double, brightnessCarry: Double, columns: Int) {
        self.hueCarry = hueCarry; self.saturationCarry = saturationCarry; self.brightnessCarry = brightnessCarry
        self.columns = columns
    }

    /// The carry of a sheet given as tile colours, `rows[r][c]`, whose row `inputRow` holds the
    /// inputs; nil for fewer than two rows or columns, rows of unequal length, or grey inputs.
    public init?(rows: [[TileColour]], inputRow: Int) {
        guard rows.indices.contains(inputRow), rows.count >= 2 else { return nil }
        let inputs = rows[inputRow], n = inputs.count
        guard n >= 2, rows.allSatisfy({ $0.count == n }) else { return nil }
        let saturation = inputs.map(\.saturation).reduce(0, +)
        guard saturation > 0 else { return nil }
        let generated = rows.indices.filter { $0 != inputRow }.map { rows[$0] }
        func mean(_ perRow: ([TileColour]) -> Double) -> Double {
            generated.map(perRow).reduce(0, +) / Double(generated.count)
        }
        self.init(
            hueCarry: mean { row in
                zip(row, inputs).map { $1.saturation * cos($0.hue - $1.hue) }.reduce(0, +) / saturation
            },
            saturationCarry: mean { StyleCarry.correlation($0.map(\.saturation), inputs.map(\.saturation)) },
            brightnessCarry: mean { StyleCarry.correlation($0.map(\.brightness), inputs.map(\.brightness)) },
            columns: n)
    }

    /// The carry of a sheet of colour images `tiles` [rows * columns, H, W, 3] in row-major order.
    public init?(tiles: Tensor, rows: Int, inputRow: Int) {
        guard tiles.shape.count == 4, tiles.shape[3] == 3, rows > 0, tiles.shape[0] % rows == 0 else { return nil }
        let columns = tiles.shape[0] / rows, pixels = tiles.shape[1] * tiles.shape[2]
        let colours = (0..<rows).map { r in
            (0..<columns).map { c in TileColour(tiles.data + (r * columns + c) * pixels * 3, pixels: pixels) }
        }
        self.init(rows: colours, inputRow: inputRow)
    }

    /// The mean of several sheets' carries (one per source label), each field averaged; nil for none.
    public init?(mean sheets: [ColourCarry]) {
        guard !sheets.isEmpty else { return nil }
        let n = Double(sheets.count)
        func mean(_ f: (ColourCarry) -> Double) -> Double { sheets.map(f).reduce(0, +) / n }
        self.init(
            hueCarry: mean(\.hueCarry), saturationCarry: mean(\.saturationCarry),
            brightnessCarry: mean(\.brightnessCarry), columns: sheets.map(\.columns).reduce(0, +))
    }
}

extension Tensor {
    /// Images [N, H, W, 3] as their luminance [N, H, W, 1] (0.2126 R + 0.7152 G + 0.0722 B), on
    /// which the shape measures (ink, width, slant, sharpness) read a colour set; grey images as
    /// they are.
    public var luminance: Tensor {
        guard shape.count == 4, shape[3] == 3 else { return self }
        let pixels = shape[0] * shape[1] * shape[2]
        let out = Tensor(shape: [shape[0], shape[1], shape[2], 1], uninitialized: true)
        for p in 0..<pixels {
            out.data[p] = 0.2126 * data[3 * p] + 0.7152 * data[3 * p + 1] + 0.0722 * data[3 * p + 2]
        }
        return out
    }
}
