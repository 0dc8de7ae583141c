import Foundation
import VAEGAN
import XCTest

/// CONTRIBUTING's "Adding a variant", kept honest where a test can: the scripts that make the
/// TensorFlow fixtures and the loss table of MODEL.md name every variant the program trains.
/// (The fixtures themselves are `ReferenceFixtureTests`', the golden bytes `GoldenRunTests`'.)
final class VariantChecklistTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func text(_ path: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    }

    func testEveryVariantIsInTheFixtureScriptsAndTheLossTable() throws {
        let names = LossVariant.allCases.map(\.rawValue)
        let makeFixtures = try text("scripts/make_fixtures.sh")
        let loop = try XCTUnwrap(makeFixtures.range(of: #"for v in [a-z ]+; do"#, options: .regularExpression))
        XCTAssertEqual(
            Set(
                makeFixtures[loop].dropFirst("for v in ".count).dropLast("; do".count).split(separator: " ").map(
                    String.init)),
            Set(names), "scripts/make_fixtures.sh makes fixtures for every variant")

        let reference = try text("scripts/reference/tf_reference.py")
        let choices = try XCTUnwrap(
            reference.range(of: #""--variant", choices=\[[^\]]*\]"#, options: .regularExpression))
        for name in names {
            XCTAssertTrue(reference[choices].contains("\"\(name)\""), "tf_reference.py --variant takes \(name)")
        }

        let model = try text("docs/MODEL.md")
        let header = try XCTUnwrap(
            model.split(separator: "\n").first { $0.hasPrefix("| | printed") }, "MODEL.md §3's loss table")
        let columns = header.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        XCTAssertEqual(Set(columns), Set(names), "MODEL.md's loss table has a column for every variant")
    }
}
