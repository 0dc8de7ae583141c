import Datasets
import Foundation
import Report
import XCTest

/// Where `export` writes a picture, and which sheets `export style-transfer` draws by default.
final class PictureExportTests: XCTestCase {
    func testAPictureGoesToOutOrToItsNameInTheRun() throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(getpid())").path
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: run) }
        XCTAssertEqual(try PictureExport.path(out: nil, run: run, defaultName: "a.png"), run + "/a.png")
        XCTAssertEqual(
            try PictureExport.path(out: run + "/b.PNG", run: "elsewhere", defaultName: "a.png"), run + "/b.PNG")
        XCTAssertThrowsError(try PictureExport.path(out: run + "/b.jpg", run: run, defaultName: "a.png")) {
            XCTAssertEqual("\($0)", "--out \(run)/b.jpg: write a .png file")
        }
        XCTAssertThrowsError(try PictureExport.path(out: run + "/no/b.png", run: run, defaultName: "a.png")) {
            XCTAssertEqual("\($0)", "\(run)/no/b.png: folder \(run)/no does not exist")
        }
    }

    func testTheDefaultSourceOfASheet() {
        XCTAssertEqual(StyleTransferSheets.defaultSource(.digits), 7)
        XCTAssertEqual(StyleTransferSheets.defaultSource(DataDescription(numbered: 5)), 0)
        XCTAssertEqual(StyleTransferSheets.defaultSource(DataDescription(names: (0..<10).map { "c\($0)" })), 0)
    }

    func testWhereEachSheetGoes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sheets-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let name = "style_transfer_sandal.png"
        XCTAssertEqual(StyleTransferSheets.path(out: folder, name: name, fileLabel: "sandal"), folder + "/" + name)
        XCTAssertEqual(StyleTransferSheets.path(out: "new/", name: name, fileLabel: "sandal"), "new/" + name)
        XCTAssertEqual(StyleTransferSheets.path(out: "s_{label}.png", name: name, fileLabel: "sandal"), "s_sandal.png")
        XCTAssertEqual(StyleTransferSheets.path(out: "one.png", name: name, fileLabel: "sandal"), "one.png")
        // Every label's sheets need a folder or a name with {label}; one label's may go to one file.
        XCTAssertNil(StyleTransferSheets.problem(out: folder, everyLabel: true))
        XCTAssertNil(StyleTransferSheets.problem(out: "s_{label}.png", everyLabel: true))
        XCTAssertNil(StyleTransferSheets.problem(out: "one.png", everyLabel: false))
        XCTAssertEqual(
            StyleTransferSheets.problem(out: "one.png", everyLabel: true),
            "--out 'one.png' would hold one of many sheets: with --label all, give a folder or a name containing {label}"
        )
    }
}
