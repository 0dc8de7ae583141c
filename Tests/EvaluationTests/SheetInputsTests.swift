import Datasets
import Evaluation
import RunModel
import XCTest

/// A sheet's input digits: what --inputs names, and one check against the test set whose
/// problem `export style-transfer` and `evaluate` each put in their own words.
final class SheetInputsTests: XCTestCase {
    /// Five test digits labelled 7, 7, 2, 7, 1.
    static let test = DigitSet(images: Array(repeating: 0, count: 5 * 784), labels: [7, 7, 2, 7, 1])

    func testParse() throws {
        XCTAssertEqual(try SheetInputs.parse("article"), ArticleModel.styleTransferInputs.testIndices)
        XCTAssertEqual(try SheetInputs.parse("3, 0,1"), [3, 0, 1])
        for bad in ["", "0,,1", "a", "1;2"] {
            XCTAssertThrowsError(try SheetInputs.parse(bad), bad) {
                XCTAssertEqual("\($0)", "--inputs must be 'article' or test indices separated by commas, got '\(bad)'")
            }
        }
        XCTAssertThrowsError(try SheetInputs.parse((0..<51).map(String.init).joined(separator: ","))) {
            XCTAssertEqual("\($0)", "--inputs' count of digits must be between 1 and 50, got 51")
        }
    }

    func testTheCheckAgainstTheTestSet() {
        XCTAssertNil(SheetInputs.problem([0, 1, 3], test: Self.test))
        XCTAssertNil(SheetInputs.problem([0, 3], test: Self.test, source: 7))
        XCTAssertEqual(SheetInputs.problem([], test: Self.test), .empty)
        XCTAssertEqual(SheetInputs.problem([0, 5], test: Self.test), .outOfRange(index: 5, testCount: 5))
        XCTAssertEqual(
            SheetInputs.problem([0, 2], test: Self.test), .otherLabel(index: 2, label: 2, expected: 7, first: 0))
        XCTAssertEqual(
            SheetInputs.problem([0], test: Self.test, source: 1), .otherLabel(index: 0, label: 7, expected: 1, first: 0)
        )
    }

    func testEachCommandsWords() throws {
        let other = try XCTUnwrap(SheetInputs.problem([1, 4], test: Self.test))
        XCTAssertEqual(
            other.optionLine(bySource: false), "--inputs: test digit 4 is a 1, not a 7 (test digit 1's label)")
        XCTAssertEqual(other.recordLine, "the sheet's inputs are of two labels: test digit 1 is a 7, 4 a 1")
        let bySource = try XCTUnwrap(SheetInputs.problem([1, 4], test: Self.test, source: 7))
        XCTAssertEqual(bySource.optionLine(bySource: true), "--inputs: test digit 4 is a 1, not a 7 (--label 7)")
        let far = try XCTUnwrap(SheetInputs.problem([9], test: Self.test))
        XCTAssertEqual(
            far.optionLine(bySource: true), "--inputs: test index 9 is out of range (the test set has 5 digits, 0-4)")
        XCTAssertEqual(far.recordLine, "test index 9 of the sheet's inputs is out of range (the test set has 5 digits)")
    }

    func testTheGridOfASheetPicture() throws {
        XCTAssertEqual(try SheetMeasure.grid("10x12").rows, 10)
        XCTAssertEqual(try SheetMeasure.grid("10x12").columns, 12)
        for bad in ["10", "1x10", "10x101", "axb", "10x10x10"] {
            XCTAssertThrowsError(try SheetMeasure.grid(bad), bad) {
                XCTAssertEqual("\($0)", "--grid must be ROWSxCOLUMNS, each 2-100, e.g. 10x10; got '\(bad)'")
            }
        }
    }

    func testTheBoxOfASheetsGrid() throws {
        XCTAssertEqual(try SheetMeasure.crop("0,2,30,40"), [0, 2, 30, 40])
        for bad in ["1,2,3", "1,2,3,4,5", "1,2,x,4", "1,,3,4", ""] {
            XCTAssertThrowsError(try SheetMeasure.crop(bad), bad) {
                XCTAssertEqual("\($0)", "--crop must be four whole numbers x0,y0,x1,y1, got '\(bad)'")
            }
        }
    }

    func testTheClassifierFileNamed() {
        let shipped = RunJudge.Named(given: nil, environment: [:])
        XCTAssertEqual(shipped.path, Classifier.shippedPath)
        XCTAssertFalse(shipped.isExplicit)
        XCTAssertFalse(RunJudge.Named(given: nil, environment: ["VAEGAN_CLASSIFIER": ""]).isExplicit)
        let variable = RunJudge.Named(given: nil, environment: ["VAEGAN_CLASSIFIER": "/c.safetensors"])
        XCTAssertEqual(variable.path, "/c.safetensors")
        XCTAssertTrue(variable.isExplicit)
        let flag = RunJudge.Named(given: "mine.safetensors", environment: ["VAEGAN_CLASSIFIER": "/c.safetensors"])
        XCTAssertEqual(flag.path, "mine.safetensors")
        XCTAssertTrue(flag.isExplicit)
    }
}
