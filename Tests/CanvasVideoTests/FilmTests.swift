import Canvas
import Datasets
import Foundation
import Video
import XCTest

/// Films and sheets as a viewer gets them: decoded back with libavformat/libavcodec.
final class FilmTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "film-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// A 420x420 grid per frame with structure at every scale: blobs that move with the frame.
    func grid(_ frame: Int) -> [UInt8] {
        (0..<(420 * 420)).map { i in
            let (y, x) = (Double(i / 420), Double(i % 420))
            let v = 0.5 + 0.5 * sin(x / 9 + Double(frame) * 0.3) * cos(y / 13)
            return UInt8((v * 255).rounded())
        }
    }

    func writeFilm(_ path: String, frames: Int, fps: Int = 10, size: Int = 800) throws {
        let writer = try VideoWriter(path: path, width: size, height: size, fps: fps)
        let layout = ManifoldFrame(size: size)
        let surface = Surface(width: size, height: size)
        for f in 0..<frames {
            layout.draw(on: surface, grid: grid(f), gridSize: 420, label: 7, data: .digits, batch: f * 3)
            try surface.withPixels { try writer.append(bgr0: $0, stride: surface.stride) }
        }
        try writer.finish()
    }

    /// A colour manifold of flat patches, through H.264 and back: the film says BT.709, and each
    /// patch decodes (by the film's own tags, as a player would) within a few levels of its colour.
    /// A grey film keeps no tag, as before colour.
    func testAColourFilmIsTaggedAndKeepsItsColours() throws {
        let colours: [(UInt8, UInt8, UInt8)] = [(220, 30, 40), (30, 200, 60), (40, 60, 210), (250, 160, 20)]
        // A 2x2 grid of 15-pixel patches, RGB interleaved.
        var grid = [UInt8](repeating: 0, count: 30 * 30 * 3)
        for y in 0..<30 {
            for x in 0..<30 {
                let c = colours[(y / 15) * 2 + x / 15]
                grid[(y * 30 + x) * 3] = c.0; grid[(y * 30 + x) * 3 + 1] = c.1; grid[(y * 30 + x) * 3 + 2] = c.2
            }
        }
        let data = DataDescription(classes: ClassNames(names: ["a", "b"]), side: 16, channels: 3)
        let path = dir + "/colour.mp4"
        let writer = try VideoWriter(path: path, width: 400, height: 400, fps: 5, colour: true)
        let layout = ManifoldFrame(size: 400)
        let surface = Surface(width: 400, height: 400)
        layout.draw(on: surface, grid: grid, gridSize: 30, label: 1, data: data, batch: 0)
        let drawn = layout.box
        let centre = { (k: Int) in
            (
                x: Int(drawn.x + drawn.side * (Double(k % 2) + 0.5) / 2),
                y: Int(drawn.y + drawn.side * (Double(k / 2) + 0.5) / 2)
            )
        }
        for k in 0..<4 {
            let p = surface.rgb(x: centre(k).x, y: centre(k).y)
            XCTAssertEqual([p.0, p.1, p.2], [colours[k].0, colours[k].1, colours[k].2], "drawn as it is, not inverted")
        }
        for _ in 0..<3 { try surface.withPixels { try writer.append(bgr0: $0, stride: surface.stride) } }
        try writer.finish()
        let (info, frames) = try VideoReader.read(path: path, keep: [2], colour: true)
        XCTAssertEqual(info.colourMatrix, "bt709")
        let frame = frames[2]!
        for k in 0..<4 {
            var error = 0.0, n = 0.0
            for dy in -20...20 {
                for dx in -20...20 {
                    let q = ((centre(k).y + dy) * 400 + centre(k).x + dx) * 3
                    for (c, v) in [colours[k].0, colours[k].1, colours[k].2].enumerated() {
                        error += abs(Double(frame[q + c]) - Double(v)); n += 1
                    }
                }
            }
            XCTAssertLessThan(error / n, 3, "patch \(k): mean error \(error / n) levels")
        }
        try writeFilm(dir + "/grey.mp4", frames: 2, size: 200)
        XCTAssertEqual(try VideoReader.read(path: dir + "/grey.mp4").info.colourMatrix, "unknown")
    }

    func testMP4IsH264Yuv420pWithEveryFrameAndTheGridSurvivesEncoding() throws {
        let path = dir + "/manifold_7.mp4"
        try writeFilm(path, frames: 23)
        let (info, frames) = try VideoReader.read(path: path, keep: [0, 11, 22])
        XCTAssertEqual(info.codec, "h264")
        XCTAssertEqual(info.pixelFormat, "yuv420p")
        XCTAssertEqual(info.width, 800)
        XCTAssertEqual(info.height, 800)
        XCTAssertEqual(info.framesPerSecond, 10)
        XCTAssertEqual(info.frameCount, 23)
        XCTAssertEqual(info.durationSeconds, 2.3, accuracy: 0.01)
        // moov atom before mdat: playback can start before the whole file has arrived.
        let head = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)).prefix(4096))
        let text = String(decoding: head.map { $0 < 128 ? $0 : 46 }, as: UTF8.self)
        XCTAssertLessThan(text.range(of: "moov")!.lowerBound, text.range(of: "mdat")?.lowerBound ?? text.endIndex)

        let box = ManifoldFrame(size: 800).box
        for k in [0, 11, 22] {
            let decoded = frames[k]!
            let g = grid(k)
            // Sample the axes box at each grid pixel's centre, its luminance read back as ink
            // through the map that drew it ('Greys').
            var se = 0.0, n = 0.0
            for gy in stride(from: 0, to: 420, by: 3) {
                for gx in stride(from: 0, to: 420, by: 3) {
                    let px = Int(box.x + (Double(gx) + 0.5) * box.side / 420),
                        py = Int(box.y + (Double(gy) + 0.5) * box.side / 420)
                    let shown = 255 * GreyMap.greys.ink(luminance: Double(decoded[py * 800 + px]) / 255)
                    se += pow(shown - Double(g[gy * 420 + gx]), 2); n += 1
                }
            }
            let psnr = 10 * log10(255 * 255 / (se / n))
            XCTAssertGreaterThanOrEqual(psnr, 30, "frame \(k): PSNR \(psnr) dB")
        }
    }

    /// The committed films' layout, measured on their 800x800 frames: the grid fills (100, 80) to
    /// (720, 700) with no frame round it, and the two title lines sit centred over it, their ink
    /// between rows 52 and 74.
    func testFrameLayoutIsThatOfTheCommittedFilms() {
        let black = [UInt8](repeating: 255, count: 420 * 420)
        let s = ManifoldFrame(size: 800).render(grid: black, gridSize: 420, label: 1, data: .digits, batch: 29_000)
        func inked(_ x: Int, _ y: Int) -> Bool { s.grey(x: x, y: y) < 128 }
        XCTAssertTrue(inked(101, 81) && inked(718, 698), "the grid fills its square")
        for (x, y) in [(98, 400), (722, 400), (400, 78), (400, 702)] {
            XCTAssertEqual(s.grey(x: x, y: y), 255, "no frame or ink at (\(x), \(y)) beside the grid")
        }
        var rows: [Int] = [], columns: [Int] = []
        for y in 0..<80 { for x in 0..<800 where inked(x, y) { rows.append(y); columns.append(x) } }
        XCTAssertGreaterThanOrEqual(rows.min() ?? 0, 50)
        XCTAssertLessThanOrEqual(rows.max() ?? 0, 74)
        XCTAssertEqual(
            Double(columns.min()! + columns.max()!) / 2, 410, accuracy: 4, "the title is centred over the grid")
    }

    func testGIFAndOtherSizes() throws {
        let path = dir + "/manifold_3.gif"
        try writeFilm(path, frames: 5, fps: 5, size: 400)
        let (info, _) = try VideoReader.read(path: path)
        XCTAssertEqual(info.codec, "gif")
        XCTAssertEqual(info.width, 400)
        XCTAssertEqual(info.frameCount, 5)
    }

    func testBadOutputsFailCleanlyAndLeaveNothing() throws {
        XCTAssertThrowsError(try VideoWriter(path: dir + "/film.avi", width: 64, height: 64, fps: 10)) {
            XCTAssertTrue("\($0)".contains("unknown extension"))
        }
        XCTAssertThrowsError(try VideoWriter(path: dir + "/nope/film.mp4", width: 64, height: 64, fps: 10)) {
            XCTAssertTrue("\($0)".contains("does not exist"), "\($0)")
        }
        do {  // abandoned before finish: no file, no temporary file
            let w = try VideoWriter(path: dir + "/half.mp4", width: 64, height: 64, fps: 10)
            let s = Surface(width: 64, height: 64)
            try s.withPixels { try w.append(bgr0: $0, stride: s.stride) }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }

    /// Tile (row, column) of the style-transfer sheet holds the digit meant for it.
    func testStyleTransferSheetLayout() throws {
        // Digit (row r, column c) is a flat square of ink value 20*r + c, shown through 'Greys'
        // (0 white paper, 255 black), as matplotlib's table gives it (GreyMapTests).
        let flat = { (v: Int) in [UInt8](repeating: UInt8(v), count: 784) }
        let rows = (0..<10).map { r in (0..<5).map { c in flat(20 * r + c) } }
        let originals = (0..<5).map { c in flat(250 - c) }
        let sheet = Sheets.styleTransfer(
            originals: originals, decoded: rows, labels: Array(0..<10), sourceLabel: 4, data: .digits, scale: 2)
        let tile = 56, greys = GreyMap.greys.table
        let left = sheet.width - 5 * tile, top = sheet.height - 10 * tile
        XCTAssertGreaterThan(left, 0)
        XCTAssertGreaterThan(top, 0)
        for r in 0..<10 {
            for c in 0..<5 {
                let ink = r == 4 ? 250 - c : 20 * r + c
                XCTAssertEqual(
                    Int(sheet.grey(x: left + c * tile + tile / 2, y: top + r * tile + tile / 2)), Int(greys[ink]),
                    "tile \(r),\(c)")
            }
        }
        let png = dir + "/sheet.png"
        try sheet.writePNG(to: png)
        XCTAssertTrue(FileManager.default.fileExists(atPath: png))
    }

    /// A class name stands in a frame's title for the label's number, and changes nothing else:
    /// the manifold frame's title band differs, its grid does not.
    func testAClassNameTitlesTheFrame() {
        let grid = [UInt8](repeating: 90, count: 420 * 420)
        let frame = ManifoldFrame(size: 400)
        let numbered = frame.render(grid: grid, gridSize: 420, label: 5, data: .digits, batch: 30).luminance()
        let garments = DataDescription(names: ["Top", "Trouser", "Pullover", "Dress", "Coat", "Sandal"])
        let named = frame.render(grid: grid, gridSize: 420, label: 5, data: garments, batch: 30).luminance()
        let titleRows = Int(frame.box.y) * 400
        XCTAssertNotEqual(Array(numbered[..<titleRows]), Array(named[..<titleRows]), "the title says the name")
        XCTAssertEqual(Array(numbered[titleRows...]), Array(named[titleRows...]), "the grid is the same")
        XCTAssertEqual(
            frame.render(grid: grid, gridSize: 420, label: 5, data: DataDescription(numbered: 6), batch: 30)
                .luminance(),
            numbered, "classes named by their numbers: the frame of old")
    }
}

/// The panel and the walk lay out any number of labels from 2 to 64 within their frames.
final class ManyLabelLayoutTests: XCTestCase {
    func testPanelFitsEveryCount() {
        XCTAssertEqual(
            [PanelFrame(data: .digits).width, PanelFrame(data: .digits).height], [1920, 960], "MNIST's panel")
        for count in [2, 3, 10, 11, 16, 64] {
            let p = PanelFrame(data: DataDescription(numbered: count))
            XCTAssertEqual(p.height % 2, 0, "H.264 frames are even")
            XCTAssertGreaterThanOrEqual(p.columns * p.rows, count)
            let last = p.origin(ofLabel: count - 1), first = p.origin(ofLabel: 0)
            // Centred with a margin either side: the last column starts before the right margin.
            XCTAssertGreaterThan(first.x, 0)
            XCTAssertLessThan(p.origin(ofLabel: p.columns - 1).x, 1920 - first.x)
            XCTAssertLessThan(last.y, Double(p.height), "label \(count - 1) of \(count) is inside the frame")
        }
        XCTAssertEqual(PanelFrame(data: DataDescription(numbered: 64)).columns, 12)
    }

    func testWalkWrapsManyLabelsIntoRows() {
        let w = WalkFrame(labels: Array(0..<64), data: DataDescription(numbered: 64))
        XCTAssertEqual(w.perRow, 16)
        XCTAssertLessThanOrEqual(w.width, 1920 + 48)
        XCTAssertEqual(w.height % 2, 0)
        let last = w.origin(ofDigit: 63)
        XCTAssertLessThanOrEqual(last.y + w.digit, Double(w.height))
        XCTAssertLessThanOrEqual(last.x + w.digit, Double(w.width))
        XCTAssertGreaterThan(last.y, w.origin(ofDigit: 15).y, "digit 63 is on a later row than digit 15")
        XCTAssertEqual(WalkFrame(labels: Array(0..<10), data: .digits).perRow, 10, "MNIST's walk is one row")
    }

    func testReconstructionsOfManyClassesWrapIntoPairsOfRows() {
        let digit = [UInt8](repeating: 128, count: 784)
        let ten = Sheets.reconstructions(
            originals: Array(repeating: digit, count: 10), reconstructions: Array(repeating: digit, count: 10),
            batch: 0, channels: 1)
        let many = Sheets.reconstructions(
            originals: Array(repeating: digit, count: 64), reconstructions: Array(repeating: digit, count: 64),
            batch: 0, channels: 1)
        XCTAssertEqual(many.height - ten.height, 6 * 84, "eight rows of 16 (four pairs) against two")
        XCTAssertEqual(many.width - ten.width, 6 * 84, "16 columns against 10")
    }
}
