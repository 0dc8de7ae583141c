import Console
import XCTest

/// The terminal's words: an error is one line whatever its message holds, and a quiet progress
/// line asks for no text at all.
final class ConsoleTests: XCTestCase {
    func testAnErrorIsOneLine() {
        XCTAssertEqual(Terminal.errorLine("no such run"), "vaegan-render: error: no such run")
        let line = Terminal.errorLine("Error: bad value\n  Usage: vaegan-render render\r\n\n  see --help  ")
        XCTAssertEqual(line, "vaegan-render: error: Error: bad value Usage: vaegan-render render see --help")
        XCTAssertFalse(line.contains { $0.isNewline })
    }

    func testAQuietProgressLineDrawsNothing() {
        let line = ProgressLine(quiet: true)
        var asked = 0
        line.around {
            for done in 1...5 {
                line.draw(done: done, total: 5) { _, _ in
                    asked += 1; return ""
                }
            }
        }
        XCTAssertEqual(asked, 0, "with --quiet the line's text is never made")
        let loud = ProgressLine(quiet: false)
        loud.draw(done: 5, total: 5) { _, eta in
            asked += 1; return eta
        }
        XCTAssertEqual(asked, 1, "the last step is always drawn")
    }
}
