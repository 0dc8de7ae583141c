import Datasets

/// Sheets of digits: the style-transfer matrix and the reconstruction rows.
public enum Sheets {
    /// Tiles of square images (bytes, `channels` per pixel) in rows, with a label column on the
    /// left naming each row. Grey ones inverted (white background, black ink), colour ones as they are.
    public static func digitRows(
        _ rows: [[[UInt8]]], rowLabels: [String], channels: Int, scale: Int = 3, title: String? = nil
    ) -> Surface {
        let columns = rows.map(\.count).max() ?? 0
        let side = Int(Double((rows.first { !$0.isEmpty }?.first?.count ?? 0) / channels).squareRoot())
        let tile = side * scale
        let font = Double(tile) * 0.32
        let probe = Surface(width: 1, height: 1)
        let labelWidth = Int((rowLabels.map { probe.textWidth($0, size: font) }.max() ?? 0) + font * 1.2)
        let top = title == nil ? 0 : Int(font * 2.2)
        let s = Surface(width: labelWidth + columns * tile, height: top + rows.count * tile)
        s.fill(1, 1, 1)
        if let title { s.text(title, x: Double(s.width) / 2, y: font * 1.5, size: font, align: .center) }
        for (r, row) in rows.enumerated() {
            let y = Double(top + r * tile)
            s.text(
                rowLabels[r], x: Double(labelWidth) - font * 0.6, y: y + Double(tile) / 2 + font * 0.35, size: font,
                align: .right)
            for (c, digit) in row.enumerated() {
                s.drawImage(
                    digit, width: side, height: side, channels: channels, x: Double(labelWidth + c * tile), y: y,
                    drawWidth: Double(tile), drawHeight: Double(tile))
            }
        }
        return s
    }

    /// The notebook's style-transfer matrix: row k holds the source digits decoded with label
    /// `labels[k]`; the source label's row holds the originals. Rows are named by their classes'
    /// names (MNIST's: the labels' numbers).
    public static func styleTransfer(
        originals: [[UInt8]], decoded: [[[UInt8]]], labels: [Int], sourceLabel: Int, data: DataDescription,
        scale: Int = 3
    ) -> Surface {
        precondition(decoded.count == labels.count)
        let name = { (l: Int) in data.classes[l] }
        let rows = zip(labels, decoded).map { $0 == sourceLabel ? originals : $1 }
        let rowLabels = labels.map { $0 == sourceLabel ? "\(name($0)) (input)" : name($0) }
        return digitRows(
            rows, rowLabels: rowLabels, channels: data.channels, scale: scale,
            title: "Style transfer from label \(name(sourceLabel))")
    }

    /// The test images above their reconstructions, in pairs of rows of at most `perRow` (a set of
    /// 64 classes in one row would be 5,000 pixels wide).
    public static func reconstructions(
        originals: [[UInt8]], reconstructions: [[UInt8]], batch: Int, channels: Int, scale: Int = 3,
        perRow: Int = 16
    ) -> Surface {
        var rows: [[[UInt8]]] = [], labels: [String] = []
        for start in stride(from: 0, to: max(originals.count, 1), by: perRow) {
            let part = start..<min(originals.count, start + perRow)
            rows += [Array(originals[part]), Array(reconstructions[part])]
            labels += ["original", "reconstructed"]
        }
        return digitRows(rows, rowLabels: labels, channels: channels, scale: scale, title: "Batch \(batch)")
    }
}
