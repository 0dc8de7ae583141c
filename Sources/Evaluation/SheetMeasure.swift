import AtomicIO
import Foundation
import PNG

/// `evaluate --sheet`: a picture of a style-transfer sheet (the article's figure, or any PNG of
/// digits in a grid) measured by the code that measures the model's own sheets: its carry of ink,
/// width and slant from the inputs' row to the others.
public struct SheetMeasure: Codable {
    public let sheet: String, grid: String, inputRow: Int, inverted: Bool, carry: StyleCarry
    /// The picture's size in pixels, for the lines (not in the JSON).
    public var width = 0, height = 0

    enum CodingKeys: String, CodingKey { case sheet, grid, inputRow, inverted, carry }

    /// The picture at `path`, cut into `rows` x `columns` tiles, its inputs in row `inputRow`.
    /// `named` names the picture in messages (the flag that gave it).
    public static func measure(path: String, named: String, rows: Int, columns: Int, inputRow: Int) throws
        -> SheetMeasure
    {
        let picture: PNGImage
        do { picture = try PNGImage(path: path, maxSide: 16_384) } catch { throw FileError(path: named, "\(error)") }
        guard picture.width >= columns * 8, picture.height >= rows * 8 else {
            throw FileError(
                path: named, "\(picture.width)x\(picture.height) pixels is too small for a \(rows)x\(columns) grid")
        }
        let (ink, inverted) = SheetPicture.ink(
            luminance: picture.luminance(onto: 255), width: picture.width, height: picture.height)
        let tiles = SheetPicture.tiles(
            ink: ink, width: picture.width, height: picture.height, rows: rows, columns: columns)
        guard let carry = StyleCarry(tiles: tiles, rows: rows, inputRow: inputRow) else {
            throw FileError(path: named, "the inputs' row \(inputRow) varies in none of ink, width and slant")
        }
        return SheetMeasure(
            sheet: path, grid: "\(rows)x\(columns)", inputRow: inputRow, inverted: inverted, carry: carry,
            width: picture.width, height: picture.height)
    }

    /// The sides a sheet's grid may have, in tiles.
    public static let gridSides = 2...100

    /// Why a text is no grid: the one line that says so.
    public struct GridProblem: Error, CustomStringConvertible, Equatable, Sendable {
        public let description: String
    }

    /// `--grid` ("10x10") as rows and columns, each within `gridSides`.
    public static func grid(_ text: String) throws -> (rows: Int, columns: Int) {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let r = parts[0], let c = parts[1], gridSides.contains(r), gridSides.contains(c) else {
            throw GridProblem(
                description:
                    "--grid must be ROWSxCOLUMNS, each \(gridSides.lowerBound)-\(gridSides.upperBound), e.g. 10x10; got '\(text)'"
            )
        }
        return (r, c)
    }

    /// The measure as `evaluate` prints it, a line each.
    public var lines: [String] {
        [
            "\(sheet): \(width)x\(height), \(grid) tiles, inputs in row \(inputRow)"
                + (inverted ? " (dark on light: inverted)" : ""),
            String(
                format: "style carry   ink %.3f  width %.3f  slant %.3f", carry.inkCarry, carry.widthCarry,
                carry.slantCarry),
            String(format: "generated/input ink %.3f   ink correlation %.3f", carry.inkRatio, carry.inkCorrelation)
        ]
    }
}
