/// A digit drawn anywhere on a canvas, made into an MNIST-like 28x28 image the way MNIST's own
/// digits were prepared (LeCun et al.): the ink's bounding box is scaled, keeping its aspect
/// ratio, to fit a 20x20 box, with anti-aliasing (each output pixel is the mean ink over the
/// input area it covers), and the result is placed in the 28x28 field so that its centre of mass
/// falls on the field's centre.
public enum DigitPreparation {
    public static let side = Digit.side
    /// The longer side of the ink's bounding box after scaling.
    public static let box = 20
    /// Ink at or below this (of 1) does not count towards the bounding box.
    static let inkThreshold: Float = 0.05

    /// Why a drawing cannot be made into a digit.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// `ink` holds `width * height` values in [0, 1], row-major, 1 = full ink. Returns 784 values
    /// in [0, 1], row-major.
    public static func prepare(ink: [Float], width: Int, height: Int) throws -> [Float] {
        guard width > 0, height > 0, ink.count == width * height else {
            throw Problem(description: "the drawing holds \(ink.count) values for \(width)x\(height) pixels")
        }
        // 1. The ink's bounding box.
        var x0 = width, x1 = -1, y0 = height, y1 = -1
        for y in 0..<height {
            for x in 0..<width where ink[y * width + x] > inkThreshold {
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
            }
        }
        guard x1 >= 0 else { throw Problem(description: "the drawing is empty") }
        let bw = x1 - x0 + 1, bh = y1 - y0 + 1

        // 2. Scale the box so its longer side is 20 pixels: output pixel (i, j) averages the
        //    input rectangle [x0 + j/s, x0 + (j+1)/s) x [y0 + i/s, y0 + (i+1)/s), weighting each
        //    input pixel by the fraction of it inside (a box filter: the anti-aliasing).
        let scale = Double(box) / Double(max(bw, bh))
        let ow = max(1, min(box, Int((Double(bw) * scale).rounded()))),
            oh = max(1, min(box, Int((Double(bh) * scale).rounded())))
        let sx = Double(bw) / Double(ow), sy = Double(bh) / Double(oh)
        var scaled = [Float](repeating: 0, count: ow * oh)
        for i in 0..<oh {
            let top = Double(i) * sy, bottom = top + sy
            for j in 0..<ow {
                let left = Double(j) * sx, right = left + sx
                var sum = 0.0
                for y in Int(top)..<min(bh, Int(bottom.rounded(.up))) {
                    let wy = min(bottom, Double(y + 1)) - max(top, Double(y))
                    guard wy > 0 else { continue }
                    for x in Int(left)..<min(bw, Int(right.rounded(.up))) {
                        let wx = min(right, Double(x + 1)) - max(left, Double(x))
                        if wx > 0 { sum += wx * wy * Double(ink[(y0 + y) * width + x0 + x]) }
                    }
                }
                scaled[i * ow + j] = Float(min(1, max(0, sum / (sx * sy))))
            }
        }

        // 3. Shift so the centre of mass lands on pixel (14, 14), the centre of the field as
        //    MNIST's digits have it (in pixel indices, which put the exact centre at 13.5).
        var mass = 0.0, mx = 0.0, my = 0.0
        for i in 0..<oh {
            for j in 0..<ow {
                let v = Double(scaled[i * ow + j])
                mass += v; mx += v * Double(j); my += v * Double(i)
            }
        }
        let dx = Int((Double(side) / 2 - mx / mass).rounded()), dy = Int((Double(side) / 2 - my / mass).rounded())
        // Keep the whole 20x20 box inside the field even when its mass sits far to one side.
        let ox = min(max(dx, 0), side - ow), oy = min(max(dy, 0), side - oh)
        var out = [Float](repeating: 0, count: side * side)
        for i in 0..<oh { for j in 0..<ow { out[(oy + i) * side + ox + j] = scaled[i * ow + j] } }
        return out
    }
}
