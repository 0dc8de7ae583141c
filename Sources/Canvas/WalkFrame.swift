import Datasets
import Foundation

/// One frame of the latent-walk film: digits decoded from one latent code, one per label, drawn
/// large (28 px at 6x, 168 px, side by side; one label alone at 12x; more than ten labels at 4x in
/// rows of 16; other sides at the integer scale nearest those sizes) with nearest-neighbour sampling like the notebook's imshow, under a title, with a
/// dial in the corner showing where the code is on its loop through (z[0], z[1]).
public struct WalkFrame {
    public let labels: [Int]
    /// Whose digits: each is captioned with its class's name, drawn at its image side.
    public let data: DataDescription
    public let width: Int, height: Int
    /// Side of a drawn digit: the image side times an integer scale, so that every pixel is a square.
    public let digit: Double
    /// Side of the digit images, in pixels.
    public let digitSide: Int
    /// Digits in one row: every label up to ten, else up to 16.
    public let perRow: Int
    let gap = 8.0, margin = 24.0, band = 132.0, caption = 34.0

    public init(labels: [Int], data: DataDescription) {
        precondition(!labels.isEmpty)
        self.labels = labels
        self.data = data
        digitSide = data.side
        perRow = labels.count <= 10 ? labels.count : min(16, labels.count)
        // The scale that draws a 28 px digit at 12x, 6x or 4x; other sides as near that size as an
        // integer scale comes.
        let mnistScale = labels.count == 1 ? 12 : labels.count <= 10 ? 6 : 4
        let scale = max(1, Int((Double(Digit.side * mnistScale) / Double(digitSide)).rounded()))
        digit = Double(digitSide * scale)
        let row = Double(perRow) * digit + Double(perRow - 1) * gap
        let rows = (labels.count + perRow - 1) / perRow
        width = Self.even(max(row, 4 * band) + 2 * margin)
        height = Self.even(band + Double(rows) * (caption + digit) + Double(rows - 1) * gap + margin)
    }

    static func even(_ v: Double) -> Int { let n = Int(v.rounded(.up)); return n + n % 2 }

    /// Top-left corner of the `k`-th digit (each row is centred).
    public func origin(ofDigit k: Int) -> (x: Double, y: Double) {
        let inRow = min(perRow, labels.count - k / perRow * perRow)
        let row = Double(inRow) * digit + Double(inRow - 1) * gap
        let line = Double(k / perRow)
        return (
            (Double(width) - row) / 2 + Double(k % perRow) * (digit + gap),
            band + caption + line * (caption + digit + gap)
        )
    }

    /// - Parameters:
    ///   - digits: one digitSide x digitSide byte image (0 = 0.0, 255 = 1.0) per label, in `labels` order.
    ///   - angle: the code's position on its loop, in radians; `z` its first two coordinates.
    public func draw(on surface: Surface, digits: [[UInt8]], title: String, angle: Double, z: (Double, Double)) {
        surface.fill(1, 1, 1)
        surface.text(title, x: Double(width) / 2, y: band * 0.45, size: 30, align: .center)
        for (k, image) in digits.enumerated() {
            let o = origin(ofDigit: k)
            let name = data.classes[labels[k]]
            // A narrow digit carries the name alone.
            surface.text(
                labels.count <= 10 ? "Label: \(name)" : name, x: o.x + digit / 2, y: o.y - caption * 0.3,
                size: labels.count <= 10 ? 20 : 15, align: .center)
            surface.drawImage(
                image, width: digitSide, height: digitSide, channels: data.channels, x: o.x, y: o.y, drawWidth: digit,
                drawHeight: digit)
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
