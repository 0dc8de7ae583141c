import Canvas
import Datasets
import Foundation
import TestSupport
import Video
import XCTest

/// A colour film as a browser shows it: H.264 carries colour as YUV, and a player converts it back
/// by the matrix the film names. Chromium decodes our BT.709-tagged film, and each flat patch of
/// the drawn frame comes back within a few levels of its colour, as it does through FFmpeg
/// (CanvasVideoTests' `testAColourFilmIsTaggedAndKeepsItsColours`).
final class ColourFilmBrowserTests: XCTestCase {
    /// Four saturated patches. Converted with BT.709 and decoded as BT.601 (what a player assumes of
    /// an untagged film), they come back 12.8, 15.0, 5.8 and 5.2 levels off on average: more than
    /// the bound below.
    static let colours: [[Int]] = [[220, 30, 40], [30, 200, 60], [40, 60, 210], [250, 160, 20]]

    func testChromiumShowsAColourFilmInItsColours() throws {
        try requireTool(Chromium.executable != nil, "chromium is not installed (scripts/setup.sh installs it)")
        let dir = try tempDir("colour-film")
        // A 2x2 grid of 15-pixel patches, RGB interleaved, drawn as a manifold frame.
        var grid = [UInt8](repeating: 0, count: 30 * 30 * 3)
        for y in 0..<30 {
            for x in 0..<30 {
                for c in 0..<3 { grid[(y * 30 + x) * 3 + c] = UInt8(Self.colours[(y / 15) * 2 + x / 15][c]) }
            }
        }
        let data = DataDescription(classes: ClassNames(names: ["a", "b"]), side: 16, channels: 3)
        let writer = try VideoWriter(path: dir + "/colour.mp4", width: 400, height: 400, fps: 5, colour: true)
        let layout = ManifoldFrame(size: 400)
        let surface = Surface(width: 400, height: 400)
        layout.draw(on: surface, grid: grid, gridSize: 30, label: 1, data: data, batch: 0)
        for _ in 0..<5 { try surface.withPixels { try writer.append(bgr0: $0, stride: surface.stride) } }
        try writer.finish()
        let box = layout.box
        let centres: [[Int]] = (0..<4).map { (k: Int) -> [Int] in
            let column = Double(k % 2) + 0.5, row = Double(k / 2) + 0.5
            return [Int(box.x + box.side * column / 2), Int(box.y + box.side * row / 2)]
        }
        try #"<!doctype html><video src="colour.mp4" muted preload="auto" width="400" height="400"></video>"#
            .write(toFile: dir + "/film.html", atomically: true, encoding: .utf8)

        // A file:// page is an origin of its own; reading back a frame drawn from a file needs this.
        let browser = try Chromium(width: 600, height: 600, arguments: ["--allow-file-access-from-files"])
        try browser.open(URL(fileURLWithPath: dir + "/film.html").absoluteString)
        // Seek into the film, draw the frame it shows onto a canvas at its own size, and read the
        // mean absolute error over 41x41 pixels round each patch's centre.
        let script = """
            (async () => {
              const v = document.querySelector('video');
              if (v.readyState < 2) await new Promise((res, rej) => {
                v.addEventListener('loadeddata', res, { once: true });
                v.addEventListener('error', () => rej(new Error('the film did not load')), { once: true });
              });
              const seeked = new Promise(res => v.addEventListener('seeked', res, { once: true }));
              v.currentTime = 0.5;
              await seeked;
              const canvas = document.createElement('canvas');
              canvas.width = v.videoWidth; canvas.height = v.videoHeight;
              const ctx = canvas.getContext('2d', { willReadFrequently: true });
              ctx.drawImage(v, 0, 0);
              const colours = \(Self.colours), centres = \(centres);
              return centres.map(([x, y], k) => {
                const d = ctx.getImageData(x - 20, y - 20, 41, 41).data;
                let error = 0;
                for (let i = 0; i < d.length; i += 4)
                  for (let c = 0; c < 3; c++) error += Math.abs(d[i + c] - colours[k][c]);
                return error / (41 * 41 * 3);
              });
            })()
            """
        let errors = try XCTUnwrap(browser.evaluate(script) as? [Double], "the page measured the frame")
        XCTAssertEqual(errors.count, 4)
        for (k, error) in errors.enumerated() {
            XCTAssertLessThan(error, 4, "patch \(k) \(Self.colours[k]): mean error \(error) levels in Chromium")
        }
        XCTAssertEqual(browser.problems, [], "nothing failed in the page")
    }
}
