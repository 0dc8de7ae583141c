import Browser
import Foundation
import Report
import TestSupport
import XCTest

/// The report page's markup for a given set of pictures, written in-process: each picture shown
/// once by its file's URL, everything the reader supplies escaped, the films' script only with
/// films and the model's three files only with the explorer.
final class ReportPageTests: XCTestCase {
    typealias Media = ReportPage.Media

    /// A page with two manifold films, a walk, a gallery of two pictures (one named awkwardly) and
    /// the evaluation, but no explorer.
    func page() -> ReportPage {
        ReportPage(
            title: "report of <run>", settings: [("seed", "3"), ("dataset", "mnist & more")],
            manifoldFilms: [
                Media(file: "manifold_0.mp4", caption: "label 0", alt: "grid of 0"),
                Media(file: "manifold_1.mp4", caption: "label 1", alt: "grid of 1")
            ],
            snapshotIterations: [0, 10, 20], fps: 10,
            otherFilms: [Media(file: "walk.mp4", caption: "the walk", alt: "a walk")],
            galleries: [
                .init(
                    title: "Sheets", intro: "Two sheets.",
                    images: [
                        Media(file: "sheet a#1.png", caption: "a \"quoted\" <caption>", alt: "sheet a"),
                        Media(file: "sheet_b.png", caption: "b", alt: "sheet b")
                    ], columnWidth: 300)
            ],
            evaluation: [(name: "style spread", value: "0.512", meaning: "how much the columns differ")],
            evaluationNote: "Evaluated at iteration 20.", footer: "Written by a test.")
    }

    func testEachPictureIsShownOnceAndTheTextEscaped() {
        let html = page().html()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n"))
        XCTAssertTrue(html.hasSuffix("</body>\n</html>\n"))
        XCTAssertEqual(html.components(separatedBy: "<figure").count - 1, 5, "two manifolds, a walk, two pictures")
        for film in ["manifold_0.mp4", "manifold_1.mp4"] {
            XCTAssertTrue(html.contains("<figure class=\"manifold\"><video src=\"\(film)\" muted loop"), film)
        }
        XCTAssertTrue(html.contains("<figure class=\"wide\"><video src=\"walk.mp4\""))
        XCTAssertTrue(html.contains(#"<img src="sheet%20a%231.png" alt="sheet a" loading="lazy">"#))
        XCTAssertTrue(html.contains("<figcaption>a &quot;quoted&quot; &lt;caption&gt;</figcaption>"))
        XCTAssertTrue(html.contains(#"<div class="gallery" style="--column: 300px">"#))
        XCTAssertEqual(html.components(separatedBy: "<title>report of &lt;run&gt;</title>").count, 2)
        XCTAssertTrue(html.contains("<header><h1>report of &lt;run&gt;</h1></header>"))
        XCTAssertTrue(html.contains("<tr><th scope=\"row\">dataset</th><td>mnist &amp; more</td></tr>\n"))
        XCTAssertTrue(html.contains(#"<td class="value">0.512</td><td>how much the columns differ</td>"#))
        XCTAssertTrue(html.contains(#"<input type="range" id="snapshot" min="0" max="2" step="1" value="0""#))
        XCTAssertTrue(html.contains("3 snapshots at 10 per second"))
    }

    /// With films, the page defines their snapshots and rate and then runs report.js; without the
    /// explorer, it loads none of the model's files.
    func testTheFilmsScriptComesWithTheFilms() {
        let html = page().html()
        XCTAssertTrue(
            html.contains(
                "<footer>Written by a test.</footer>\n<script>\nconst snapshotIterations = [0, 10, 20];\n"
                    + "const fps = 10;\n\(PageFiles.reportScript)</script>\n</body>\n</html>\n"))
        XCTAssertFalse(html.contains(WebModel.weightsFile))
        XCTAssertFalse(html.contains("id=\"explore\""))

        var still = page()
        still.manifoldFilms = []
        XCTAssertFalse(still.html().contains("<script"), "no films, no explorer: no script")
        XCTAssertFalse(still.html().contains("id=\"manifolds\""))
    }

    /// With the explorer, the page holds its section on the axes given and loads weights.js,
    /// model.js and explore.js, then says so if they did not load.
    func testTheExplorerLoadsTheModelsThreeFiles() {
        var withModel = page()
        withModel.manifoldFilms = []
        withModel.explorerAxes = (3, 5)
        let html = withModel.html()
        XCTAssertTrue(html.contains(#"<section id="explore" data-axes="3,5"><h2>"#))
        XCTAssertTrue(html.contains(#"<canvas id="manifold" width="420" height="420""#), "with the manifold")
        XCTAssertTrue(
            html.contains(
                "</footer>\n<script src=\"weights.js\"></script>\n<script src=\"model.js\"></script>\n"
                    + "<script src=\"explore.js\"></script>\n<script>\nif (!window.vaeganExplore) {"))
        XCTAssertTrue(html.contains("The model's files (weights.js, model.js, explore.js) did not load"))
        XCTAssertFalse(html.contains("const snapshotIterations"))
    }

    /// The page's skeleton, byte for byte, for a page of settings alone: the template, the two
    /// styles inlined, nothing else.
    func testTheSkeletonIsPinned() {
        let bare = ReportPage(
            title: "T", settings: [("a", "b")], manifoldFilms: [], snapshotIterations: [], fps: 10, otherFilms: [],
            galleries: [], evaluation: nil, evaluationNote: "", footer: "F")
        XCTAssertEqual(
            bare.html(),
            """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>T</title>
            <style>\(PageFiles.reportStyle)
            \(ExplorerSection.css)</style>
            </head>
            <body>
            <header><h1>T</h1></header>
            <main>
            <section id="run"><h2>Run</h2>
            <table class="settings">
            <tr><th scope="row">a</th><td>b</td></tr>
            </table></section>
            </main>
            <footer>F</footer>
            </body>
            </html>\n
            """)
        XCTAssertTrue(PageFiles.reportStyle.hasPrefix(":root { color-scheme: light;"))
        XCTAssertTrue(PageFiles.reportStyle.hasSuffix("}\n}"), "the file's last line break is the template's")
        XCTAssertTrue(ExplorerSection.css.hasPrefix("#explore .explore-grid {"))
    }

    /// What a reader gives (a run's name, a caption) is filled in as text: a placeholder in it
    /// stays as written.
    func testAPlaceholderInATitleStaysText() {
        var odd = page()
        odd.title = "{{footer}} {{#films}}"
        odd.galleries[0].images[0].caption = "{{style}}"
        let html = odd.html()
        XCTAssertTrue(html.contains("<title>{{footer}} {{#films}}</title>"))
        XCTAssertTrue(html.contains("<figcaption>{{style}}</figcaption>"))
    }
}
