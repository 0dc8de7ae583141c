/// One frame of the all-labels film: the ten manifold grids of a snapshot as a 2x5 panel under one
/// title "Batch: N", each grid captioned with its label and framed like the single-label films.
/// 1920x960: each 420x420 grid is drawn 352 px wide (the whole panel would be 2,100 px at full size).
public struct PanelFrame {
    public let width = 1920, height = 960
    public static let columns = 5, rows = 2
    /// Side of one drawn grid, its caption's height, and the gaps around them.
    let side = 352.0, caption = 40.0, gap = 24.0, titleHeight = 96.0

    public init() {}

    /// Top-left corner of label `k`'s grid.
    public func origin(ofLabel k: Int) -> (x: Double, y: Double) {
        let panelWidth = Double(Self.columns) * side + Double(Self.columns - 1) * gap
        let left = (Double(width) - panelWidth) / 2
        let row = k / Self.columns, column = k % Self.columns
        return (left + Double(column) * (side + gap), titleHeight + caption + Double(row) * (side + caption + gap))
    }

    /// Draw a snapshot's grids (one byte grid per label, 0 = 0.0, 255 = 1.0), each titled by its
    /// label's number or, given `names`, its class name.
    public func draw(on surface: Surface, grids: [[UInt8]], gridSize: Int, batch: Int, names: [String]? = nil) {
        surface.fill(1, 1, 1)
        surface.text("Batch: \(batch)", x: Double(width) / 2, y: titleHeight * 0.62, size: 34, align: .center)
        for (k, grid) in grids.enumerated() {
            let o = origin(ofLabel: k)
            let title = "Label: " + (names.map { $0[k] } ?? String(k))
            surface.text(title, x: o.x + side / 2, y: o.y - caption * 0.3, size: 22, align: .center)
            surface.drawGrey(
                grid, width: gridSize, height: gridSize, x: o.x, y: o.y, drawWidth: side, drawHeight: side,
                invert: true, smooth: true)
            surface.rectangle(x: o.x - 0.5, y: o.y - 0.5, width: side + 1, height: side + 1)
        }
    }
}
