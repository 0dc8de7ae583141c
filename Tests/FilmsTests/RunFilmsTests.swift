import Canvas
import Datasets
import Films
import Foundation
import RunFolder
import TestSupport
import Video
import XCTest

/// A run's films by name, and the shape each kind of film takes, from a few tiny snapshots: no
/// model, no training.
final class RunFilmsTests: XCTestCase {
    static let fashion = DataDescription(names: ["shirt", "sandal", "bag"])

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
        XCTAssertEqual(Film.manifold(label: 7).fileName(.digits), "manifold_7.mp4")
        XCTAssertEqual(Film.manifold(label: 1).fileName(Self.fashion), "manifold_sandal.mp4")
        XCTAssertEqual(Film.panel.fileName(Self.fashion), "all.mp4")
        XCTAssertEqual(Film.walk(labels: [3]).fileName(.digits), "walk.mp4")
    }

    /// Every film's name reads back as that film; a name of a label outside the classes, or of no
    /// film, reads as none.
    func testANameReadsBackAsItsFilm() {
        for data in [DataDescription.digits, Self.fashion] {
            for film in data.classes.labels.map(Film.manifold) + [.panel] {
                XCTAssertEqual(Film(fileName: "/out/" + film.fileName(data), data: data), film)
            }
            XCTAssertEqual(Film(fileName: "walk.mp4", data: data), .walk(labels: Array(data.classes.labels)))
        }
        XCTAssertEqual(Film(fileName: "manifold_7.gif", data: .digits), .manifold(label: 7), "a GIF of the same film")
        XCTAssertEqual(Film(fileName: "manifold_SANDAL.mp4", data: Self.fashion), .manifold(label: 1))
        XCTAssertEqual(Film(fileName: "manifold_2.mp4", data: Self.fashion), .manifold(label: 2), "by number")
        XCTAssertEqual(Film(fileName: "walk-slow.mp4", data: .digits, walkLabels: [4, 9]), .walk(labels: [4, 9]))
        XCTAssertNil(Film(fileName: "manifold_10.mp4", data: .digits), "MNIST has no label 10")
        XCTAssertNil(Film(fileName: "manifold_7.mp4", data: Self.fashion))
        XCTAssertNil(Film(fileName: "panel.mp4", data: .digits))
    }

    /// The films are named by the data they are given, and drawn over the recorded grids' axes.
    func testTheFilmsAreOfTheDataGiven() {
        let films = RunFilms(snapshots: snapshots(2, classes: 3), threads: 1, data: Self.fashion)
        XCTAssertEqual(films.data, Self.fashion)
        XCTAssertNil(films.axes, "the recorded grids' axes")
    }

    /// A manifold film is one square frame per snapshot at the snapshots' rate; the panel lays the
    /// classes out as PanelFrame does for their count; the manifolds of some labels are those
    /// labels' films, named by their classes, and no others.
    func testEachFilmHasItsFramesAndLayout() throws {
        let dir = try tempDir("run-films")
        let films = RunFilms(snapshots: snapshots(3, classes: 3), threads: 2, data: Self.fashion)
        let manifold = dir + "/one.mp4"
        XCTAssertEqual(try films.write(.manifold(label: 2), to: manifold, size: 96, model: { fatalError() }), 3)
        var info = try VideoReader.read(path: manifold).info
        XCTAssertEqual([info.width, info.height, info.frameCount], [96, 96, 3])
        XCTAssertEqual(info.framesPerSecond, Double(Film.snapshotFPS), accuracy: 1e-9)

        let panel = dir + "/all.mp4"
        XCTAssertEqual(try films.write(.panel, to: panel, fps: 5, model: { fatalError() }), 3)
        info = try VideoReader.read(path: panel).info
        let layout = PanelFrame(data: Self.fashion)
        XCTAssertEqual([info.width, info.height, info.frameCount], [layout.width, layout.height, 3])
        XCTAssertEqual(info.framesPerSecond, 5, accuracy: 1e-9)
        XCTAssertNotEqual(layout.height, PanelFrame(data: .digits).height, "three classes are not laid out as ten")

        let folder = try tempDir("run-films-manifolds")
        try films.manifolds(into: folder, labels: [0, 2], size: 64)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted(),
            ["manifold_bag.mp4", "manifold_shirt.mp4"])
    }
}
