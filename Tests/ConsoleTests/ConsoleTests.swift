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
        let loud = ProgressLine(quiet: false, terminal: true)
        loud.draw(done: 5, total: 5) { _, eta in
            asked += 1; return eta
        }
        XCTAssertEqual(asked, 1, "the last step is always drawn")
    }

    /// In a pipe there is no line to redraw: the text is never made, and the estimate is one line.
    func testAPipeGetsOneEstimateInsteadOfTheLine() {
        let piped = ProgressLine(quiet: false, startCount: 100, terminal: false, estimateAfter: 3600)
        var asked = 0
        for done in 101...110 {
            piped.draw(done: done, total: 2100) { _, _ in
                asked += 1; return ""
            }
        }
        XCTAssertEqual(asked, 0)
        XCTAssertEqual(
            piped.estimateLine(done: 212, total: 2100, rate: 3.6),
            "estimate: 1888 iterations left, about 8m44s at 3.60 it/s (measured over the first 112)")
    }
}
