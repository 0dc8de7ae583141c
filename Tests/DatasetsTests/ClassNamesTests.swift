import Datasets
import XCTest

/// Class names as titles show them and as file names hold them.
final class ClassNamesTests: XCTestCase {
    func testDigitsKeepTheirNumbers() {
        XCTAssertEqual(DataDescription.digits.classes.fileNames, (0..<10).map(String.init))
        XCTAssertTrue(DataDescription.digits.classes.isNumbered)
        XCTAssertEqual(DataDescription.digits.classes.label(of: "7"), 7)
        XCTAssertNil(DataDescription.digits.classes.label(of: "10"))
        XCTAssertNil(DataDescription.digits.classes.label(of: "seven"))
    }

    func testNamesHaveSafeDistinctFileForms() {
        let classes = ClassNames(names: ["Ankle boot", "T-shirt/top", "ankle  boot", "日本", "../etc", "Sandal"])
        XCTAssertEqual(classes.fileNames, ["ankle-boot", "t-shirt-top", "ankle-boot-2", "3", "etc", "sandal"])
        XCTAssertFalse(classes.isNumbered)
        // A name is found as shown, in any case, by its file form, or by its number.
        XCTAssertEqual(classes.label(of: "Sandal"), 5)
        XCTAssertEqual(classes.label(of: "sandal"), 5)
        XCTAssertEqual(classes.label(of: "t-shirt-top"), 1)
        XCTAssertEqual(classes.label(of: "2"), 2)
        XCTAssertNil(classes.label(of: "6"))
        XCTAssertNil(classes.label(of: "boot"))
    }

    func testNamesThatCannotNameAClass() {
        XCTAssertNotNil(ClassNames.problem(""))
        XCTAssertNotNil(ClassNames.problem(String(repeating: "a", count: 65)))
        XCTAssertNotNil(ClassNames.problem("a\nb"))
        XCTAssertNil(ClassNames.problem("Ankle boot"))
    }
}
