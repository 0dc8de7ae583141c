import Canvas
import Films
import Foundation
import MNIST
import RunFolder
import TestSupport
import Video
import XCTest

/// A run's films by name, and the shape each kind of film takes, from a few tiny snapshots: no
/// model, no training.
final class RunFilmsTests: XCTestCase {
    static let fashion = ClassNames(names: ["shirt", "sandal", "bag"])

    /// `count` snapshots of `classes` grids, each grid 42 pixels square and a different grey.
    func snapshots(_ count: Int, classes: Int) -> [Snapshot] {
        (0..<count).map { k in
            Snapshot(
                period: k, iteration: 10 * k, gridSize: 42,
                grids: (0..<classes).map { l in Array(repeating: UInt8((40 * l + 20 * k) % 256), count: 42 * 42) },
                originals: [], reconstructions: [], zPoints: [], zLabels: [])
        }
    }

    func testEachFilmIsNamedByItsClass() {
        XCTAssertEqual(Film.manifold(label: 7).fileName(), "manifold_7.mp4")
        XCTAssertEqual(Film.manifold(label: 1).fileName(Self.fashion), "manifold_sandal.mp4")
        XCTAssertEqual(Film.panel.fileName(Self.fashion), "all.mp4")
        XCTAssertEqual(Film.walk(labels: [3]).fileName(), "walk.mp4")
    }

    /// Every film's name reads back as that film; a name of a label outside the classes, or of no
    /// film, reads as none.
    func testANameReadsBackAsItsFilm() {
        for classes in [ClassNames.digits, Self.fashion] {
            for film in classes.labels.map(Film.manifold) + [.panel] {
                XCTAssertEqual(Film(fileName: "/out/" + film.fileName(classes), classes: classes), film)
            }
            XCTAssertEqual(Film(fileName: "walk.mp4", classes: classes), .walk(labels: Array(classes.labels)))
        }
        XCTAssertEqual(Film(fileName: "manifold_7.gif"), .manifold(label: 7), "a GIF of the same film")
        XCTAssertEqual(Film(fileName: "manifold_SANDAL.mp4", classes: Self.fashion), .manifold(label: 1))
        XCTAssertEqual(Film(fileName: "manifold_2.mp4", classes: Self.fashion), .manifold(label: 2), "by number")
        XCTAssertEqual(Film(fileName: "walk-slow.mp4", walkLabels: [4, 9]), .walk(labels: [4, 9]))
        XCTAssertNil(Film(fileName: "manifold_10.mp4"), "MNIST has no label 10")
        XCTAssertNil(Film(fileName: "manifold_7.mp4", classes: Self.fashion))
        XCTAssertNil(Film(fileName: "panel.mp4"))
    }

    /// Without classes, the films are numbered by the snapshots' grids; with them, named by them.
    func testTheClassesComeFromTheGridsUnlessNamed() {
        XCTAssertEqual(RunFilms(snapshots: snapshots(2, classes: 3), threads: 1).classes, ClassNames(numbered: 3))
        XCTAssertEqual(RunFilms(snapshots: [], threads: 1).classes, .digits, "no snapshot: MNIST's ten")
        XCTAssertEqual(
            RunFilms(snapshots: snapshots(2, classes: 3), threads: 1, classes: Self.fashion).classes, Self.fashion)
        XCTAssertNil(RunFilms(snapshots: snapshots(2, classes: 3), threads: 1).axes, "the recorded grids' axes")
    }

    /// A manifold film is one square frame per snapshot at the snapshots' rate; the panel lays the
    /// classes out as PanelFrame does for their count; the manifolds of some labels are those
    /// labels' films, named by their classes, and no others.
    func testEachFilmHasItsFramesAndLayout() throws {
        let dir = try tempDir("run-films")
        let films = RunFilms(snapshots: snapshots(3, classes: 3), threads: 2, classes: Self.fashion)
        let manifold = dir + "/one.mp4"
        XCTAssertEqual(try films.write(.manifold(label: 2), to: manifold, size: 96, model: { fatalError() }), 3)
        var info = try VideoReader.read(path: manifold).info
        XCTAssertEqual([info.width, info.height, info.frameCount], [96, 96, 3])
        XCTAssertEqual(info.framesPerSecond, Double(Film.snapshotFPS), accuracy: 1e-9)

        let panel = dir + "/all.mp4"
        XCTAssertEqual(try films.write(.panel, to: panel, fps: 5, model: { fatalError() }), 3)
        info = try VideoReader.read(path: panel).info
        let layout = PanelFrame(count: 3)
        XCTAssertEqual([info.width, info.height, info.frameCount], [layout.width, layout.height, 3])
        XCTAssertEqual(info.framesPerSecond, 5, accuracy: 1e-9)
        XCTAssertNotEqual(layout.height, PanelFrame(count: 10).height, "three classes are not laid out as ten")

        let folder = try tempDir("run-films-manifolds")
        try films.manifolds(into: folder, labels: [0, 2], size: 64)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted(),
            ["manifold_bag.mp4", "manifold_shirt.mp4"])
    }
}
