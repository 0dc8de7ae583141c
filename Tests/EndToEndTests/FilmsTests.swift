import Canvas
import Datasets
import Films
import Foundation
import RunFolder
import RunModel
import TestSupport
import Training
import Video
import XCTest

/// A run's films decoded back: one frame per snapshot at the size each kind of film has, and the
/// title of each frame naming its own snapshot's iteration.
final class FilmsTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = try tempDir("films") }

    /// Five snapshots whose grids differ from snapshot to snapshot, at iterations 0, 13, 26, ...
    let snapshots: [Snapshot] = (0..<5).map { k in
        Snapshot(
            period: k, iteration: 13 * k, gridSize: 420,
            grids: (0..<10).map { l in (0..<(420 * 420)).map { UInt8((($0 / 420) * (l + 1) + k * 40) % 256) } },
            originals: [], reconstructions: [], zPoints: [], zLabels: [])
    }

    /// Over the pixels of a band of rows where `a` and `b` differ clearly (the glyphs of two
    /// titles), the mean distance of `decoded` to each.
    func distances(_ decoded: [UInt8], _ a: [UInt8], _ b: [UInt8], width: Int, rows: Range<Int>) -> (
        toA: Double, toB: Double
    ) {
        var da = 0, db = 0, n = 0
        for y in rows {
            for x in 0..<width {
                let i = y * width + x
                guard abs(Int(a[i]) - Int(b[i])) > 64 else { continue }
                da += abs(Int(decoded[i]) - Int(a[i])); db += abs(Int(decoded[i]) - Int(b[i])); n += 1
            }
        }
        return (Double(da) / Double(max(n, 1)), Double(db) / Double(max(n, 1)))
    }

    func grey(_ s: Surface) -> [UInt8] {
        (0..<s.height).flatMap { y in (0..<s.width).map { s.grey(x: $0, y: y) } }
    }

    func testManifoldAndPanelFilmsHaveAFramePerSnapshotTitledWithItsIteration() throws {
        let films = RunFilms(snapshots: snapshots, threads: 2, data: .digits)
        let manifold = dir + "/" + Film.manifold(label: 3).fileName(.digits)
        try films.manifold(label: 3, to: manifold)
        let (info, frames) = try VideoReader.read(path: manifold, keep: [1, 4])
        XCTAssertEqual([info.width, info.height, info.frameCount], [800, 800, 5])
        // The title band (above the axes box) of frame k matches "Batch: 13k", not another's.
        let frame = ManifoldFrame(size: 800), top = 0..<Int(frame.box.y) - 4
        for k in [1, 4] {
            let own = grey(
                frame.render(
                    grid: snapshots[k].grids[3], gridSize: 420, label: 3, data: .digits, batch: snapshots[k].iteration))
            let other = grey(
                frame.render(
                    grid: snapshots[k].grids[3], gridSize: 420, label: 3, data: .digits,
                    batch: snapshots[(k + 2) % 5].iteration))
            let (toOwn, toOther) = distances(frames[k]!, own, other, width: 800, rows: top)
            XCTAssertLessThan(
                toOwn, toOther / 3, "frame \(k)'s title says Batch: \(snapshots[k].iteration) (\(toOwn) vs \(toOther))")
        }

        let panel = dir + "/" + Film.panel.fileName(.digits)
        try films.panel(to: panel)
        let p = try VideoReader.read(path: panel).info
        XCTAssertEqual(
            [p.width, p.height, p.frameCount], [PanelFrame(data: .digits).width, PanelFrame(data: .digits).height, 5])

        try films.manifolds(into: dir, labels: [0, 9])
        for label in [0, 9] {
            XCTAssertEqual(
                try VideoReader.read(path: dir + "/" + Film.manifold(label: label).fileName(.digits)).info.frameCount, 5
            )
        }
    }

    func testAWalkFilmHasItsFramesAtTheWalksSize() throws {
        let run = try runWithShippedWeights(in: dir)
        let path = dir + "/" + Film.walk(labels: []).fileName(.digits)
        let frames = try RunFilms.walk(
            try RecordedRun.open(run).latestModel(), labels: [2, 5], to: path, seconds: 1, fps: 12)
        XCTAssertEqual(frames, 12)
        let info = try VideoReader.read(path: path).info
        let layout = WalkFrame(labels: [2, 5], data: .digits)
        XCTAssertEqual([info.width, info.height, info.frameCount], [layout.width, layout.height, 12])
    }

    func testFileNamesSayWhichFilm() {
        XCTAssertEqual(Film(fileName: "out/manifold_7.mp4", data: .digits), .manifold(label: 7))
        XCTAssertEqual(Film(fileName: "manifold_0.gif", data: .digits), .manifold(label: 0))
        XCTAssertEqual(Film(fileName: "all.mp4", data: .digits), .panel)
        XCTAssertEqual(Film(fileName: "walk-slow.mp4", data: .digits, walkLabels: [4]), .walk(labels: [4]))
        XCTAssertNil(Film(fileName: "manifold_10.mp4", data: .digits))
        XCTAssertNil(Film(fileName: "film.mp4", data: .digits))
        for film in [Film.manifold(label: 5), .panel, .walk(labels: Array(0..<10))] {
            XCTAssertEqual(Film(fileName: film.fileName(.digits), data: .digits), film)
        }
    }
}
