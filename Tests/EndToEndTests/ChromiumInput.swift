import Datasets
import Foundation
import TestSupport
import XCTest

/// What a user does in a page, for the browser tests: wait for a condition, move the mouse, draw.
extension Chromium {
    /// Waits (up to `seconds`) until a JavaScript condition holds in the page.
    func wait(for condition: String, seconds: Int = 30) throws -> Bool {
        try evaluate(
            """
            (async () => { const end = Date.now() + \(seconds * 1000);
              while (Date.now() < end) { if (\(condition)) return true; await new Promise(r => setTimeout(r, 100)); }
              return false; })()
            """, timeout: Double(seconds + 10)) as? Bool ?? false
    }

    func mouse(_ type: String, _ x: Double, _ y: Double, buttons: Int) throws {
        try call(
            "Input.dispatchMouseEvent",
            ["type": type, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1])
    }

    /// A real MNIST test 7 traced onto the canvas `id`: each horizontal run of ink in each of its rows
    /// is one stroke of the pen, pressed at the run's left end, dragged to its right end, released.
    func drawSeven(on id: String) throws -> Int {
        let test = try Dataset.load(directory: mnistDirectory).test
        let seven = Array(test.image(try XCTUnwrap(test.indices(ofLabel: 7).first)))
        let board = try XCTUnwrap(
            evaluate(
                "(() => { const e = document.getElementById('\(id)'); e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect(); return [r.left, r.top, r.width]; })()"
            )
                as? [Double])
        let cell = board[2] / 28
        var strokes = 0
        for row in 0..<28 {
            var x = 0
            while x < 28 {
                guard seven[row * 28 + x] > 0.5 else { x += 1; continue }
                var end = x
                while end + 1 < 28 && seven[row * 28 + end + 1] > 0.5 { end += 1 }
                let y = board[1] + (Double(row) + 0.5) * cell
                try mouse("mousePressed", board[0] + (Double(x) + 0.5) * cell, y, buttons: 1)
                try mouse("mouseMoved", board[0] + (Double(end) + 0.5) * cell, y, buttons: 1)
                try mouse("mouseReleased", board[0] + (Double(end) + 0.5) * cell, y, buttons: 0)
                strokes += 1
                x = end + 1
            }
        }
        return strokes
    }
}
