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

    /// A class's exact name wins over another's file form, a file form over a name in another
    /// case, and a name that several classes share in other cases names none (issue 56: the
    /// file forms were matched first, and the first of several cases was taken).
    func testAnExactNameWinsAndAnAmbiguousOneNamesNone() {
        let classes = ClassNames(names: ["ANKLE_BOOT", "Ankle boot", "ankle boot", "ankle-boot", "ankle-boot-1"])
        XCTAssertEqual(
            classes.fileNames, ["ankle-boot", "ankle-boot-1", "ankle-boot-2", "ankle-boot-3", "ankle-boot-1-4"])
        XCTAssertEqual(classes.label(of: "ankle-boot"), 3)
        XCTAssertEqual(classes.label(of: "ankle-boot-1"), 4)
        XCTAssertEqual(classes.label(of: "ankle-boot-2"), 2)
        XCTAssertEqual(classes.label(of: "Ankle boot"), 1)
        XCTAssertEqual(classes.label(of: "ankle_boot"), 0)
        XCTAssertEqual(classes.label(of: "ANKLE-BOOT-1"), 4)
        XCTAssertNil(classes.label(of: "ANKLE BOOT"))
        XCTAssertEqual(classes.label(of: "3"), 3)
    }

    func testNamesThatCannotNameAClass() {
        XCTAssertNotNil(ClassNames.problem(""))
        XCTAssertNotNil(ClassNames.problem(String(repeating: "a", count: 65)))
        XCTAssertNotNil(ClassNames.problem("a\nb"))
        XCTAssertNil(ClassNames.problem("Ankle boot"))
    }
}
