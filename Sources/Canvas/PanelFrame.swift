import Datasets

/// One frame of the all-labels film: a snapshot's manifold grids as a panel under one title
/// "Batch: N", each grid captioned with its label and framed like the single-label films. MNIST's
/// ten make a 2x5 panel of 1920x960, each 420x420 grid drawn 352 px wide (the whole panel would
/// be 2,100 px at full size); up to ten labels sit in rows of five, more in a wider grid of
/// smaller cells (64 labels: 12 columns of 134 px), still 1920 px wide.
public struct PanelFrame {
    /// Whose grids: a grid per class, captioned with its name.
    public let data: DataDescription
    public let width = 1920, height: Int
    public let columns: Int, rows: Int
    /// Side of one drawn grid, its caption's height and font size, and the gaps around them.
    let side: Double, caption: Double, font: Double
    let gap = 24.0, titleHeight = 96.0

    public init(data: DataDescription) {
        self.data = data
        let count = data.classes.count
        precondition(count >= 1)
        columns = count <= 10 ? min(count, 5) : Int(Double(2 * count).squareRoot().rounded(.up))
        rows = (count + columns - 1) / columns
        side = min(352, ((Double(width) - 2 * gap) - Double(columns - 1) * gap) / Double(columns)).rounded(.down)
        caption = side >= 352 ? 40 : max(24, (side * 40 / 352).rounded())
        font = side >= 352 ? 22 : max(12, (side * 22 / 352).rounded())
        let panel = titleHeight + Double(rows) * (side + caption + gap)
        height = count == 10 ? 960 : Self.even(max(panel, 480))
    }

    static func even(_ v: Double) -> Int { let n = Int(v.rounded(.up)); return n + n % 2 }

    /// Top-left corner of label `k`'s grid.
    public func origin(ofLabel k: Int) -> (x: Double, y: Double) {
        let panelWidth = Double(columns) * side + Double(columns - 1) * gap
        let left = (Double(width) - panelWidth) / 2
        let row = k / columns, column = k % columns
        return (left + Double(column) * (side + gap), titleHeight + caption + Double(row) * (side + caption + gap))
    }

    /// Draw a snapshot's grids (one byte grid per label, 0 = 0.0, 255 = 1.0), each titled by its
    /// class's name (MNIST's: its number).
    public func draw(on surface: Surface, grids: [[UInt8]], gridSize: Int, batch: Int) {
        surface.fill(1, 1, 1)
        surface.text("Batch: \(batch)", x: Double(width) / 2, y: titleHeight * 0.62, size: 34, align: .center)
        for (k, grid) in grids.enumerated() {
            let o = origin(ofLabel: k)
            let title = "Label: " + data.classes[k]
            surface.text(title, x: o.x + side / 2, y: o.y - caption * 0.3, size: font, align: .center)
            surface.drawImage(
                grid, width: gridSize, height: gridSize, channels: data.channels, x: o.x, y: o.y, drawWidth: side,
                drawHeight: side, smooth: true)
            surface.rectangle(x: o.x - 0.5, y: o.y - 0.5, width: side + 1, height: side + 1)
        }
    }
}
