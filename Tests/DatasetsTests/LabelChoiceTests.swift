import Datasets
import XCTest

/// Labels as the command line gives them, and the lines that refuse what names none.
final class LabelChoiceTests: XCTestCase {
    static let fashion = ClassNames(names: ["Shirt", "Sandal", "Bag"])

    func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "(no error)"
        } catch { return "\(error)" }
    }

    func testALabelByNumberNameOrAll() throws {
        let digits = DataDescription.digits.classes
        XCTAssertEqual(try digits.labelsGiven("7", allowAll: false), [7])
        XCTAssertEqual(try digits.labelsGiven("all", allowAll: true), Array(0..<10))
        XCTAssertEqual(try Self.fashion.labelsGiven("sandal", allowAll: false), [1])
        XCTAssertEqual(try Self.fashion.labelsGiven("2", allowAll: true), [2])
    }

    func testRefusalsSayWhatALabelMayBe() {
        let digits = DataDescription.digits.classes
        XCTAssertEqual(
            message { try digits.labelsGiven("all", allowAll: false) }, "--label must be between 0 and 9, got 'all'")
        XCTAssertEqual(
            message { try digits.labelsGiven("12", allowAll: true) },
            "--label must be between 0 and 9 or 'all', got '12'")
        XCTAssertEqual(
            message { try Self.fashion.labelsGiven("boot", allowAll: false) },
            "--label must be between 0 and 2 or a class's name (Shirt, Sandal, Bag), got 'boot'")
        let many = ClassNames(names: (0..<9).map { "c\($0)" })
        XCTAssertTrue(
            message { try many.labelsGiven("x", allowAll: false) }.contains("(c0, c1, c2, c3, c4, c5, c6, c7, ...)"))
        let twins = ClassNames(names: ["Bag", "BAG", "Hat"])
        XCTAssertEqual(
            message { try twins.labelsGiven("bAg", allowAll: false) },
            "--label 'bAg' matches more than one class in another case (Bag, BAG); give its exact name or its number")
    }

    func testAListOfLabels() throws {
        XCTAssertEqual(try Self.fashion.labelsListed("Bag, 0"), [2, 0])
        XCTAssertEqual(
            message { try Self.fashion.labelsListed("0,hat") },
            "--classes: 'hat' is not a label of the run (0-2 or a name)")
    }

    func testABatchLargerThanTheTrainingSplitIsRefused() throws {
        let set = DigitSet(images: Array(repeating: 0, count: 3 * 784), labels: [0, 1, 2])
        let data = Dataset(train: set, test: set)
        XCTAssertNoThrow(try data.checkBatchSize(3))
        XCTAssertEqual(message { try data.checkBatchSize(4) }, "--batch-size 4 is larger than the training set (3)")
    }

    func testAnIDXSetsLabelsSayHowManyClasses() throws {
        let three = DigitSet(images: Array(repeating: 0, count: 3 * 784), labels: [0, 2, 1])
        XCTAssertEqual(
            try Dataset(train: three, test: three).numberedData(named: "--data d"), DataDescription(numbered: 3))
        let one = DigitSet(images: Array(repeating: 0, count: 784), labels: [0])
        XCTAssertEqual(
            message { try Dataset(train: one, test: one).numberedData(named: "--data d") },
            "--data d: labels run to 0; 2 to 64 classes")
    }
}
