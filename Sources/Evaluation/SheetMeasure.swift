/// What `evaluate --sheet --json` prints: a picture of a sheet, how it was read, and the style
/// its rows carry from the inputs' row.
public struct SheetMeasure: Codable {
    public let sheet: String, grid: String, inputRow: Int, inverted: Bool, carry: StyleCarry

    public init(sheet: String, grid: String, inputRow: Int, inverted: Bool, carry: StyleCarry) {
        self.sheet = sheet; self.grid = grid; self.inputRow = inputRow; self.inverted = inverted; self.carry = carry
    }
}
