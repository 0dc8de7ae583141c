import Datasets
import Films
import XCTest

/// Which film `render` makes of a file name and --label, and the lines that refuse the rest.
final class FilmChoiceTests: XCTestCase {
    static let fashion = DataDescription(names: ["Shirt", "Sandal", "Bag"])

    func message(_ body: () throws -> Film) -> String {
        do { return "(made \(try body()))" } catch { return "\(error)" }
    }

    func testTheFileNameAndTheLabelChooseTheFilm() throws {
        XCTAssertEqual(try Film.chosen(fileName: "out/manifold_7.mp4", label: nil, data: .digits), .manifold(label: 7))
        XCTAssertEqual(
            try Film.chosen(fileName: "manifold_sandal.gif", label: nil, data: Self.fashion), .manifold(label: 1))
        XCTAssertEqual(try Film.chosen(fileName: "any.mp4", label: "Bag", data: Self.fashion), .manifold(label: 2))
        XCTAssertEqual(try Film.chosen(fileName: "manifold_1.mp4", label: "2", data: .digits), .manifold(label: 2))
        XCTAssertEqual(try Film.chosen(fileName: "all.mp4", label: nil, data: .digits), .panel)
        XCTAssertEqual(try Film.chosen(fileName: "walk.mp4", label: nil, data: Self.fashion), .walk(labels: [0, 1, 2]))
        XCTAssertEqual(try Film.chosen(fileName: "walk_bag.gif", label: "bag", data: Self.fashion), .walk(labels: [2]))
    }

    func testRefusals() {
        XCTAssertEqual(
            message { try Film.chosen(fileName: "manifold_7.avi", label: nil, data: .digits) },
            "manifold_7.avi: unknown extension; write .mp4 or .gif")
        XCTAssertEqual(
            message { try Film.chosen(fileName: "all.mp4", label: "3", data: .digits) },
            "all.mp4 shows every label; drop --label")
        XCTAssertEqual(
            message { try Film.chosen(fileName: "film.mp4", label: nil, data: Self.fashion) },
            "film.mp4: cannot tell the film from the file name; name it manifold_<label>.mp4 (shirt, sandal, bag, ...), "
                + "all.mp4 or walk.mp4, or pass --label")
        // The label is read first, for every film.
        XCTAssertEqual(
            message { try Film.chosen(fileName: "all.mp4", label: "10", data: .digits) },
            "--label must be between 0 and 9 or 'all', got '10'")
    }
}
