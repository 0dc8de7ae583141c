/// One frame of a manifold film, laid out as the notebook's matplotlib figure: 10x10 inches at
/// 80 dpi (800x800), a two-line title "Label: 7" / "Batch: N" above a square axes box about 616 px
/// wide (matplotlib's default subplot margins), the grid drawn with the 'Greys' map (0 white,
/// 1 black) without smoothing, ticks hidden, the axes frame kept.
public struct ManifoldFrame {
    public let size: Int
    /// The frame sizes `render` and `export` draw (a film's must also be even).
    public static let sizes = 64...4096

    /// The notebook's figure: 10x10 inches at 80 dpi.
    public static let defaultSize = 800

    public init(size: Int = defaultSize) { self.size = size }

    /// The axes box in pixels: matplotlib's subplot area (left .125, right .9, bottom .11,
    /// top .88) made square (aspect 'equal'), centred horizontally, top-aligned.
    public var box: (x: Double, y: Double, side: Double) {
        let s = Double(size)
        let areaW = 0.775 * s, areaH = 0.77 * s
        let side = min(areaW, areaH)
        return (0.125 * s + (areaW - side) / 2, 0.12 * s + (areaH - side) / 2, side)
    }

    /// Draw the frame for one snapshot's grid (bytes, 0 = 0.0, 255 = 1.0).
    public func draw(on surface: Surface, grid: [UInt8], gridSize: Int, label: Int, batch: Int) {
        surface.fill(1, 1, 1)
        let b = box
        let font = Double(size) * 12 / 600   // 12 pt at 80 dpi on an 800 px figure
        surface.text("Label: \(label)", x: b.x + b.side / 2, y: b.y - font * 1.75, size: font, align: .center)
        surface.text("Batch: \(batch)", x: b.x + b.side / 2, y: b.y - font * 0.55, size: font, align: .center)
        surface.drawGrey(grid, width: gridSize, height: gridSize, x: b.x, y: b.y, drawWidth: b.side, drawHeight: b.side, invert: true)
        surface.rectangle(x: b.x - 0.5, y: b.y - 0.5, width: b.side + 1, height: b.side + 1, lineWidth: max(1, Double(size) / 800))
    }

    public func render(grid: [UInt8], gridSize: Int, label: Int, batch: Int) -> Surface {
        let s = Surface(width: size, height: size)
        draw(on: s, grid: grid, gridSize: gridSize, label: label, batch: batch)
        return s
    }
}
