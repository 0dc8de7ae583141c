import Datasets

/// One frame of a manifold film, laid out as the films committed with the article's figures
/// (msurtsukov/ae_vae_gan, figs6/manifold_N.gif, measured on their 800x800 frames): a two-line
/// title "Label: 7" / "Batch: N" in 12 px type, centred over the grid, whose 620x620 square
/// starts at (100, 80), drawn grey through 'Greys' (`GreyMap`; a colour set's in its colours) without smoothing, and no
/// frame or ticks round it. Other sizes scale the same layout.
public struct ManifoldFrame {
    public let size: Int
    /// The frame sizes `render` and `export` draw (a film's must also be even).
    public static let sizes = 64...4096

    /// The notebook's figure: 10x10 inches at 80 dpi.
    public static let defaultSize = 800

    public init(size: Int = defaultSize) { self.size = size }

    /// The grid's square in pixels: matplotlib's subplot width (left .125, right .9) on both
    /// sides, its top a tenth of the frame down.
    public var box: (x: Double, y: Double, side: Double) {
        let s = Double(size)
        return (0.125 * s, 0.1 * s, 0.775 * s)
    }

    /// The caption under a grid drawn over other latent dimensions than the notebook's z[0], z[1].
    public static func caption(axes: (column: Int, row: Int)) -> String {
        "z[\(axes.column)] along each row, z[\(axes.row)] down the columns"
    }

    /// Draw the frame for one snapshot's grid (bytes, 0 = 0.0, 255 = 1.0). `axes`, when given,
    /// names the grid's latent dimensions in a caption under it (the notebook's frame has none).
    /// The title names the label's class ("Label: Sandal"; MNIST's by its number, "Label: 7").
    public func draw(
        on surface: Surface, grid: [UInt8], gridSize: Int, label: Int, data: DataDescription, batch: Int,
        axes: (column: Int, row: Int)? = nil
    ) {
        surface.fill(1, 1, 1)
        let b = box, scale = Double(size) / 800
        let font = 12 * scale  // 12 px on 800, as measured on the committed films' titles
        // Baselines 19 and 6 px above the grid on an 800 px frame, as in the committed films.
        surface.text(
            "Label: \(data.classes[label])", x: b.x + b.side / 2, y: b.y - 19 * scale, size: font, align: .center)
        surface.text("Batch: \(batch)", x: b.x + b.side / 2, y: b.y - 6 * scale, size: font, align: .center)
        surface.drawImage(
            grid, width: gridSize, height: gridSize, channels: data.channels, x: b.x, y: b.y, drawWidth: b.side,
            drawHeight: b.side)
        if let axes {
            surface.text(
                Self.caption(axes: axes), x: b.x + b.side / 2, y: b.y + b.side + 24 * scale, size: font,
                align: .center)
        }
    }

    public func render(
        grid: [UInt8], gridSize: Int, label: Int, data: DataDescription, batch: Int,
        axes: (column: Int, row: Int)? = nil
    ) -> Surface {
        let s = Surface(width: size, height: size)
        draw(on: s, grid: grid, gridSize: gridSize, label: label, data: data, batch: batch, axes: axes)
        return s
    }
}
