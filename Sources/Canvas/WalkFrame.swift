import Foundation

/// One frame of the latent-walk film: digits decoded from one latent code, one per label, drawn
/// large (28 px at 6x, 168 px, side by side; one label alone at 12x) with nearest-neighbour sampling
/// like the notebook's imshow, under a
/// title, with a dial in the corner showing where the code is on its loop through (z[0], z[1]).
public struct WalkFrame {
    public let labels: [Int]
    public let width: Int, height: Int
    /// Side of a drawn digit: the image side times an integer scale, so that every pixel is a square.
    public let digit: Double
    /// Side of the digit images, in pixels.
    public let digitSide: Int
    let gap = 8.0, margin = 24.0, band = 132.0, caption = 34.0

    public init(labels: [Int], digitSide: Int) {
        precondition(!labels.isEmpty)
        self.labels = labels
        self.digitSide = digitSide
        digit = Double(digitSide * (labels.count == 1 ? 12 : 6))
        let row = Double(labels.count) * digit + Double(labels.count - 1) * gap
        width = Self.even(max(row, 4 * band) + 2 * margin)
        height = Self.even(band + caption + digit + margin)
    }

    static func even(_ v: Double) -> Int { let n = Int(v.rounded(.up)); return n + n % 2 }

    /// Top-left corner of the `k`-th digit (the row is centred).
    public func origin(ofDigit k: Int) -> (x: Double, y: Double) {
        let row = Double(labels.count) * digit + Double(labels.count - 1) * gap
        return ((Double(width) - row) / 2 + Double(k) * (digit + gap), band + caption)
    }

    /// - Parameters:
    ///   - digits: one digitSide x digitSide byte image (0 = 0.0, 255 = 1.0) per label, in `labels` order.
    ///   - angle: the code's position on its loop, in radians; `z` its first two coordinates.
    ///   - names: the classes' names by label, for the digits' titles (their numbers without).
    public func draw(
        on surface: Surface, digits: [[UInt8]], title: String, angle: Double, z: (Double, Double),
        names: [String]? = nil
    ) {
        surface.fill(1, 1, 1)
        surface.text(title, x: Double(width) / 2, y: band * 0.45, size: 30, align: .center)
        for (k, image) in digits.enumerated() {
            let o = origin(ofDigit: k)
            let name = names.map { $0[labels[k]] } ?? String(labels[k])
            surface.text("Label: \(name)", x: o.x + digit / 2, y: o.y - caption * 0.3, size: 20, align: .center)
            surface.drawGrey(
                image, width: digitSide, height: digitSide, x: o.x, y: o.y, drawWidth: digit, drawHeight: digit,
                invert: true)
            surface.rectangle(
                x: o.x - 0.5, y: o.y - 0.5, width: digit + 1, height: digit + 1, color: (0.75, 0.75, 0.75))
        }
        // The dial: the loop in the (z[0], z[1]) plane and the current code on it.
        let r = band / 2 - 26, cx = margin + r + 6, cy = band / 2 - 6
        surface.line(
            (0...72).map { i in
                let a = Double(i) / 72 * 2 * Double.pi
                return (cx + r * cos(a), cy - r * sin(a))
            }, width: 1.5, color: (0.6, 0.6, 0.6))
        surface.line([(cx - r - 4, cy), (cx + r + 4, cy)], width: 1, color: (0.8, 0.8, 0.8))
        surface.line([(cx, cy - r - 4), (cx, cy + r + 4)], width: 1, color: (0.8, 0.8, 0.8))
        surface.dot(x: cx + r * cos(angle), y: cy - r * sin(angle), radius: 5, color: (0.84, 0.15, 0.16))
        surface.text(String(format: "z[0:2] = (%.2f, %.2f)", z.0, z.1), x: cx + r + 16, y: cy + 5, size: 15)
    }
}
