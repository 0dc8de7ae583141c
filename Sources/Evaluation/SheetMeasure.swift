import AtomicIO
import Datasets
import Foundation
import PNG

/// `evaluate --sheet`: a picture of a style-transfer sheet (the article's figure, the program's
/// own `export style-transfer`, or any PNG of digits in a grid) measured by the code that
/// measures the model's own sheets: its carry of ink, width and slant from the inputs' row to the
/// others. The grid is found inside the picture (`SheetGrid`: past a sheet's title and row
/// names), or given as `crop`; a picture in which no grid is found is refused.
public struct SheetMeasure: Codable {
    public let sheet: String, grid: String, inputRow: Int, inverted: Bool, carry: StyleCarry
    /// The grey map taken back off a dark-on-light picture.
    public let greyMap: GreyMap
    /// The box the grid's cells divide, in picture pixels, and whether it was given (`--crop`).
    public let box: SheetGrid, cropped: Bool
    /// The picture's size in pixels, for the lines (not in the JSON).
    public var width = 0, height = 0

    enum CodingKeys: String, CodingKey { case sheet, grid, inputRow, inverted, greyMap, carry, box, cropped }

    /// The picture at `path`, its grid (found, or `crop` as x0, y0, x1, y1 in pixels) cut into
    /// `rows` x `columns` tiles, its inputs in row `inputRow`, its greys read through `greyMap`
    /// where it is dark on light. `named` names the picture in messages (the flag that gave it).
    public static func measure(
        path: String, named: String, rows: Int, columns: Int, inputRow: Int, crop: [Int]? = nil,
        greyMap: GreyMap = .greys
    ) throws -> SheetMeasure {
        let picture: PNGImage
        do { picture = try PNGImage(path: path, maxSide: 16_384) } catch { throw FileError(path: named, "\(error)") }
        let (width, height) = (picture.width, picture.height)
        let box: SheetGrid
        if let crop {
            guard crop.count == 4, crop[0] >= 0, crop[1] >= 0, crop[0] < crop[2], crop[1] < crop[3], crop[2] <= width,
                crop[3] <= height
            else {
                throw FileError(
                    path: named,
                    "--crop \(crop.map(String.init).joined(separator: ",")) is not a box inside its "
                        + "\(width)x\(height) pixels (x0,y0,x1,y1 with x0 < x1 <= \(width), y0 < y1 <= \(height))")
            }
            box = SheetGrid(x0: Double(crop[0]), y0: Double(crop[1]), x1: Double(crop[2]), y1: Double(crop[3]))
        } else {
            box = .whole(width: width, height: height)
        }
        guard box.x1 - box.x0 >= Double(columns * 8), box.y1 - box.y0 >= Double(rows * 8) else {
            throw FileError(
                path: named,
                "\(Int(box.x1 - box.x0))x\(Int(box.y1 - box.y0)) pixels is too small for a \(rows)x\(columns) grid")
        }
        let (ink, inverted) = SheetPicture.ink(
            luminance: picture.luminance(onto: 255), width: width, height: height, map: greyMap)
        let grid: SheetGrid
        if crop != nil {
            grid = box
        } else {
            guard let found = SheetGrid.find(ink: ink, width: width, height: height, rows: rows, columns: columns)
            else {
                throw FileError(
                    path: named,
                    "finds no grid of \(rows)x\(columns) digits in it (equal cells with blank ground between them); "
                        + "give its box with --crop x0,y0,x1,y1, or its rows and columns with --grid")
            }
            grid = found
        }
        let tiles = SheetPicture.tiles(ink: ink, width: width, height: height, rows: rows, columns: columns, grid: grid)
        guard let carry = StyleCarry(tiles: tiles, rows: rows, inputRow: inputRow) else {
            throw FileError(path: named, "the inputs' row \(inputRow) varies in none of ink, width and slant")
        }
        return SheetMeasure(
            sheet: path, grid: "\(rows)x\(columns)", inputRow: inputRow, inverted: inverted, carry: carry,
            greyMap: greyMap, box: grid,
            cropped: crop != nil, width: width, height: height)
    }

    /// The sides a sheet's grid may have, in tiles.
    public static let gridSides = 2...100

    /// Why a text is no grid (or no box of one): the one line that says so.
    public struct GridProblem: Error, CustomStringConvertible, Equatable, Sendable {
        public let description: String
    }

    /// `--crop` ("x0,y0,x1,y1") as four whole numbers, the grid's box in the picture's pixels
    /// (checked against the picture by `measure`).
    public static func crop(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0) }
        guard parts.count == 4, numbers.count == 4 else {
            throw GridProblem(description: "--crop must be four whole numbers x0,y0,x1,y1, got '\(text)'")
        }
        return numbers
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
        let at = String(format: "x %.0f-%.0f, y %.0f-%.0f", box.x0, box.x1, box.y0, box.y1)
        return [
            "\(sheet): \(width)x\(height), \(grid) tiles "
                + (cropped ? "in --crop's box (\(at))" : "in the grid found at \(at)")
                + ", inputs in row \(inputRow)"
                + (inverted ? " (dark on light: inverted, greys read through '\(greyMap.rawValue)')" : ""),
            String(
                format: "style carry   ink %.3f  width %.3f  slant %.3f", carry.inkCarry, carry.widthCarry,
                carry.slantCarry),
            String(format: "generated/input ink %.3f   ink correlation %.3f", carry.inkRatio, carry.inkCorrelation)
        ]
    }
}
