import Foundation
import RunFolder
import RunPictures
import TestSupport
import XCTest

/// The one list of a run's pictures: what a run shows depends on its files, each file once, in the
/// page's section order, each drawn from the file that makes it stale.
final class RunPicturesTests: XCTestCase {
    func testWhatARunShowsFollowsItsFiles() {
        let bare = RunPictures.all(hasMetrics: false, hasCheckpoint: false, isMNIST: true, data: .digits)
        let full = RunPictures.all(hasMetrics: true, hasCheckpoint: true, isMNIST: true, data: .digits)
        // Ten manifold films, the panel, reconstructions, ten scatters, the losses; then the walk,
        // ten style-transfer sheets, the sheet from the article's inputs and the metrics.
        XCTAssertEqual(bare.count, 23)
        XCTAssertEqual(full.count, 36)
        let fashion = RunPictures.all(hasMetrics: false, hasCheckpoint: true, isMNIST: false, data: .digits)
        XCTAssertFalse(fashion.contains(RunPicture.articleStyleTransfer), "the article's inputs are MNIST test digits")
        XCTAssertEqual(fashion.count, 34)
        XCTAssertFalse(
            bare.contains { $0.source == .checkpoint || $0.source == .metrics }, "nothing from missing files")
        XCTAssertEqual(Set(full.map(\.file)).count, full.count, "each file once")
        XCTAssertEqual(
            Set(bare.map(\.file)).subtracting(full.map(\.file)), [], "a fuller run shows everything a bare one does")
        for list in [bare, full] {
            let order = list.map { RunPicture.Section.allCases.firstIndex(of: $0.section)! }
            XCTAssertEqual(order, order.sorted(), "sections in the page's order")
        }
        XCTAssertEqual(full.first?.file, "manifold_0.mp4")
        XCTAssertEqual(
            full.filter { $0.section == .styleTransfer }.map(\.file),
            (0..<10).map { "style_transfer_\($0).png" } + ["style_transfer_7_article.png"])
    }

    func testEachPictureIsStaleAfterItsOwnSource() throws {
        let run = RunDirectory(try tempDir("pictures") + "/run")
        XCTAssertEqual(RunPictures.reportPath(run), run.path + "/report")
        XCTAssertEqual(RunPicture.walkFilm(.digits).sourcePath(in: run), run.checkpointPath)
        XCTAssertEqual(RunPicture.losses.sourcePath(in: run), run.lossesPath)
        XCTAssertEqual(RunPicture.metrics.sourcePath(in: run), run.metricsPath)
        XCTAssertEqual(RunPicture.zScatter(3, data: .digits).sourcePath(in: run), run.recordingPath)
        // A folder's own files decide: with a checkpoint and no metrics.csv.
        try FileManager.default.createDirectory(atPath: run.path, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: run.checkpointPath))
        let listed = RunPictures.all(in: run)
        XCTAssertTrue(listed.contains(RunPicture.walkFilm(.digits)))
        XCTAssertFalse(listed.contains(RunPicture.metrics))
    }
}
