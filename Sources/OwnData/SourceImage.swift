import Datasets

/// One image as a reader found it, at its own size, before the set's shape is chosen: its
/// luminance (computed as each reader always computed it, so that grey sets keep their bytes) and,
/// where it has colour channels, its red, green and blue.
struct SourceImage: Sendable {
    let width: Int, height: Int
    /// width x height values in [0, 1], 0 = black.
    let grey: [Float]
    /// width x height x 3 values in [0, 1] (R, G, B interleaved), nil for an image read as grey.
    let rgb: [Float]?
    /// For a picture with transparency: which background it was laid on (black where its opaque
    /// pixels are light, else white), and the same picture laid on the other one, so that the set
    /// can lay all its transparent pictures on its own background (`RawSet.backgroundsMatched`).
    var transparency: Transparency? = nil

    struct Transparency: Sendable {
        let onBlack: Bool
        let other: (grey: [Float], rgb: [Float])
    }

    /// The picture laid on black (`black`) or white: itself where it already is, or has no
    /// transparency.
    func laid(onBlack black: Bool) -> SourceImage {
        guard let transparency, transparency.onBlack != black else { return self }
        return SourceImage(
            width: width, height: height, grey: transparency.other.grey, rgb: transparency.other.rgb,
            transparency: Transparency(onBlack: black, other: (grey, rgb ?? [])))
    }

    /// Whether some pixel's channels differ by more than rounding to a byte can explain.
    var isColour: Bool {
        guard let rgb else { return false }
        let tolerance: Float = 1.5 / 255
        for p in 0..<(width * height) {
            let r = rgb[3 * p], g = rgb[3 * p + 1], b = rgb[3 * p + 2]
            if abs(r - g) > tolerance || abs(g - b) > tolerance || abs(r - b) > tolerance { return true }
        }
        return false
    }

    /// The image's values in `channels` channels at its own size: its grey, or its colour (a
    /// grey image's value in all three channels).
    func values(channels: Int) -> [Float] {
        if channels == 1 { return grey }
        if let rgb { return rgb }
        var out = [Float](repeating: 0, count: grey.count * 3)
        for (p, v) in grey.enumerated() { out[3 * p] = v; out[3 * p + 1] = v; out[3 * p + 2] = v }
        return out
    }
}

/// Fitting an image into a square of the set's side without distortion: scaled so that its longer
/// side fills the square (each output pixel the mean of the input area it covers, so shrinking
/// anti-aliases), centred, and the rest filled with the mean colour of the image's border.
enum Letterbox {
    static func fit(_ values: [Float], width: Int, height: Int, channels: Int, side: Int) -> [Float] {
        if width == side && height == side { return values }
        let scale = Double(side) / Double(max(width, height))
        let ow = max(1, min(side, Int((Double(width) * scale).rounded())))
        let oh = max(1, min(side, Int((Double(height) * scale).rounded())))
        let border = borderMean(values, width: width, height: height, channels: channels)
        var out = [Float](repeating: 0, count: side * side * channels)
        for p in 0..<(side * side) { for c in 0..<channels { out[p * channels + c] = border[c] } }
        let ox = (side - ow) / 2, oy = (side - oh) / 2
        let sx = Double(width) / Double(ow), sy = Double(height) / Double(oh)
        var sum = [Double](repeating: 0, count: channels)
        for i in 0..<oh {
            let top = Double(i) * sy, bottom = top + sy
            for j in 0..<ow {
                let left = Double(j) * sx, right = left + sx
                for c in 0..<channels { sum[c] = 0 }
                for y in Int(top)..<min(height, Int(bottom.rounded(.up))) {
                    let wy = min(bottom, Double(y + 1)) - max(top, Double(y))
                    guard wy > 0 else { continue }
                    for x in Int(left)..<min(width, Int(right.rounded(.up))) {
                        let wx = min(right, Double(x + 1)) - max(left, Double(x))
                        guard wx > 0 else { continue }
                        for c in 0..<channels { sum[c] += wx * wy * Double(values[(y * width + x) * channels + c]) }
                    }
                }
                for c in 0..<channels {
                    out[((oy + i) * side + ox + j) * channels + c] = Float(min(1, max(0, sum[c] / (sx * sy))))
                }
            }
        }
        return out
    }

    /// The mean of each channel over the image's outermost pixels.
    static func borderMean(_ values: [Float], width: Int, height: Int, channels: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: channels), n: Float = 0
        for y in 0..<height {
            for x in 0..<width where y == 0 || y == height - 1 || x == 0 || x == width - 1 {
                for c in 0..<channels { sum[c] += values[(y * width + x) * channels + c] }
                n += 1
            }
        }
        return sum.map { $0 / max(1, n) }
    }
}

/// The shape a set is made into: its side and channels, chosen (`--side`, `--colour`) or told
/// from the images.
public struct ImageShapeChoice: Equatable, Sendable {
    /// `--side`: a side (a multiple of 4 from 16 to 64), or nil to tell it from the images.
    public var side: Int?
    /// `--colour`: true or false, or nil to tell it from the images.
    public var colour: Bool?

    public init(side: Int? = nil, colour: Bool? = nil) { self.side = side; self.colour = colour }

    /// Today's default: both told from the images.
    public static let auto = ImageShapeChoice()

    /// Why `side` cannot be a set's side (one phrase), or nil.
    public static func sideProblem(_ side: Int) -> String? {
        let sides = DataDescription.sides
        guard DataDescription.isSide(side) else {
            return "must be a multiple of 4 from \(sides.lowerBound) to \(sides.upperBound), got \(side)"
        }
        return nil
    }

    /// The side for images of these sizes: 28 where every one is 28x28 or smaller (MNIST's side,
    /// which keeps such sets as they always trained), else the smallest of 32 and 64 that holds the
    /// typical (median) image's longer side, 64 for anything larger.
    public static func autoSide(_ sizes: [(width: Int, height: Int)]) -> Int {
        if sizes.allSatisfy({ $0.width <= Digit.side && $0.height <= Digit.side }) { return Digit.side }
        let longer = sizes.map { max($0.width, $0.height) }.sorted()
        let typical = longer[longer.count / 2]
        return DataDescription.largerSides.first { typical <= $0 } ?? DataDescription.largerSides.last!
    }
}

extension ImageShapeChoice {
    /// `--side`: `auto`, or a side.
    public enum Side: Equatable, Sendable {
        case auto
        case side(Int)
    }

    /// `--colour`: `auto` (colour where any image has some), `yes` or `no`.
    public enum Colour: String, CaseIterable, Sendable { case auto, yes, no }

    public init(side: Side, colour: Colour) {
        if case .side(let n) = side { self.side = n } else { self.side = nil }
        switch colour {
        case .auto: self.colour = nil
        case .yes: self.colour = true
        case .no: self.colour = false
        }
    }

    /// The choice that makes a set into `data`'s shape (how a resumed run reads its set again).
    public init(_ data: DataDescription) { self.init(side: data.side, colour: data.isColour) }

    /// Why a run made for `data` cannot resume with this choice (one phrase naming the flag), or
    /// nil: a run keeps the side and colour it started with.
    public func resumeProblem(_ data: DataDescription) -> String? {
        if let side, side != data.side {
            return "--side \(side): the run was made for \(data.side)x\(data.side) images; a resumed run keeps its side"
        }
        if let colour, colour != data.isColour {
            return "--colour \(colour ? "yes" : "no"): the run was made for \(data.isColour ? "colour" : "grey") "
                + "images; a resumed run keeps its colour"
        }
        return nil
    }
}
