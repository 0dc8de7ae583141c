import Canvas
import Foundation
import TestSupport
import XCTest

/// The report of a tiny run, opened from disk in headless Chromium as a user opens it: every film
/// plays at its size and length, every picture loads, nothing fails or logs an error, the shared
/// control seeks all ten films, and the page is not blank.
final class ReportBrowserTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = try tempDir("report")
    }

    /// Twelve snapshots (one per iteration) in a folder whose name needs escaping in HTML.
    func makeRun() throws -> String {
        try requireMNIST()
        let run = dir + "/run <b>&\"quoted\""
        let train = try runCLI(
            [
                "train-and-record", "--run", run, "--iterations", "12", "--batch-size", "8",
                "--snapshot-every", "1", "--quiet"
            ], in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        return run
    }

    /// With VAEGAN_REPORT_RUN set, the same checks run on that run's report instead (for the
    /// README's screenshot: VAEGAN_REPORT_SCREENSHOT=file.png keeps it).
    func testTheReportOfATinyRunPlaysInChromium() throws {
        let given = ProcessInfo.processInfo.environment["VAEGAN_REPORT_RUN"]
        let run = try given ?? makeRun()
        let snapshots = given == nil ? 12 : nil
        try requireTool(Chromium.executable != nil, "chromium is not installed (scripts/setup.sh installs it)")
        if given == nil {
            let evaluated = try runCLI(["evaluate", "--run", run, "--samples", "10", "--test-digits", "200"], in: dir)
            XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        }
        let made = try runCLI(["report", "--run", run, "--quiet"], in: dir)
        XCTAssertEqual(made.status, 0, made.stderr)
        let folder = run + "/report"
        if given == nil {
            let again = try runCLI(["report", "--run", run], in: dir)
            XCTAssertTrue(
                again.stderr.contains("(0 files rendered, the rest up to date)"),
                "a second report reuses every file: \(again.stderr)")
            // A newer checkpoint makes the pictures drawn from it stale, and only those.
            let checkpoint = run + "/checkpoint.safetensors"
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: checkpoint)
            let stale = try runCLI(["report", "--run", run], in: dir)
            XCTAssertTrue(
                stale.stderr.contains("(15 files rendered"),
                "the walk, eleven style-transfer sheets and the page's three model files again: \(stale.stderr)")
        }
        let html = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        if given == nil {
            XCTAssertTrue(html.contains("run &lt;b&gt;&amp;&quot;quoted&quot;"), "the run's name is escaped")
            XCTAssertFalse(html.contains("<b>&"), "no raw HTML from the run's name")
        }
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "nothing is fetched from the network")
        for film in (0..<10).map({ "manifold_\($0).mp4" }) + ["all.mp4", "walk.mp4"] {
            XCTAssertTrue(html.contains("src=\"\(film)\""), "the page shows \(film)")
        }

        let browser = try Chromium(width: 1280, height: 900)
        try browser.open(URL(fileURLWithPath: folder + "/index.html").absoluteString)
        let frames = try snapshots ?? XCTUnwrap(browser.evaluate("snapshotIterations.length") as? Int)
        let media = try XCTUnwrap(browser.evaluate(Self.waitForMedia) as? [String: Any])
        let videos = try XCTUnwrap(media["videos"] as? [[String: Any]])
        XCTAssertEqual(videos.count, 12)
        for v in videos {
            let src = v["src"] as? String ?? "?"
            XCTAssertGreaterThanOrEqual(v["readyState"] as? Int ?? 0, 2, "\(src) has a frame to show")
            let film = Double(frames) / 10
            let (width, duration): (Int, Double) =
                src.hasSuffix("walk.mp4") ? (1800, 12) : src.hasSuffix("all.mp4") ? (1920, film) : (800, film)
            XCTAssertEqual(v["videoWidth"] as? Int, width, src)
            XCTAssertEqual(v["duration"] as? Double ?? 0, duration, accuracy: 0.15, "\(src): frames / fps")
        }
        let images = try XCTUnwrap(media["images"] as? [[String: Any]])
        XCTAssertEqual(
            images.count, 10 + 1 + 1 + 10 + 2,
            "style transfer, from the article's inputs, reconstructions, scatters, losses and metrics")
        XCTAssertTrue(html.contains("src=\"style_transfer_7_article.png\""), "the sheet from the article's inputs")
        for i in images { XCTAssertGreaterThan(i["naturalWidth"] as? Int ?? 0, 0, "\(i["src"] ?? "?") loaded") }
        XCTAssertGreaterThanOrEqual(
            try XCTUnwrap(browser.evaluate("document.querySelectorAll('#evaluation tbody tr').length") as? Int), 8,
            "evaluate's numbers are shown")

        // The shared control: snapshot 7 in every film (the middle of frame 7 at 10 fps).
        let seek = try XCTUnwrap(browser.evaluate(Self.seekAll(to: 7)) as? [String: Any])
        let times = try XCTUnwrap(seek["times"] as? [Double])
        XCTAssertEqual(times.count, 10)
        for t in times { XCTAssertEqual(t, 0.75, accuracy: 0.02, "every film shows snapshot 7") }
        XCTAssertEqual(seek["paused"] as? Bool, true)
        let iterations = try XCTUnwrap(browser.evaluate("snapshotIterations") as? [Int])
        XCTAssertEqual(seek["label"] as? String, "Batch: \(iterations[7])")
        if given == nil { XCTAssertEqual(iterations, Array(0..<12), "one snapshot per iteration") }

        XCTAssertEqual(browser.problems, [], "nothing failed to load, nothing logged as an error")

        _ = try browser.evaluate(Self.seekAll(to: frames - 1))  // the picture shows the last snapshot
        let shot = dir + "/screenshot.png"
        try browser.screenshot().write(to: URL(fileURLWithPath: shot))
        let picture = try Surface(png: shot)
        var colours = Set<UInt32>(), ink = 0, sampled = 0
        for y in Swift.stride(from: 0, to: picture.height, by: 3) {
            for x in Swift.stride(from: 0, to: picture.width, by: 3) {
                let (r, g, b) = picture.rgb(x: x, y: y)
                colours.insert(UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b))
                if Int(r) + Int(g) + Int(b) < 3 * 160 { ink += 1 }
                sampled += 1
            }
        }
        XCTAssertGreaterThan(Double(ink) / Double(sampled), 0.01, "the screenshot has ink")
        XCTAssertGreaterThan(colours.count, 16, "the screenshot has more than a handful of colours")
        if let keep = ProcessInfo.processInfo.environment["VAEGAN_REPORT_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: shot, toPath: keep)
        }
    }

    /// Waits (up to 30 s) until every video can show a frame; then the videos' and images' state.
    static let waitForMedia = """
        (async () => {
          const videos = Array.from(document.querySelectorAll('video'));
          const images = Array.from(document.querySelectorAll('img'));
          for (const img of images) img.loading = 'eager';
          const ready = v => v.readyState >= 2 ? Promise.resolve() : new Promise(res => {
            v.addEventListener('loadeddata', res, { once: true });
            v.addEventListener('error', res, { once: true });
          });
          const loaded = i => i.complete ? Promise.resolve() : new Promise(res => {
            i.addEventListener('load', res, { once: true });
            i.addEventListener('error', res, { once: true });
          });
          const timeout = new Promise(res => setTimeout(res, 30000));
          await Promise.race([Promise.all([...videos.map(ready), ...images.map(loaded)]), timeout]);
          return {
            videos: videos.map(v => ({ src: v.currentSrc, readyState: v.readyState, videoWidth: v.videoWidth, duration: v.duration })),
            images: images.map(i => ({ src: i.currentSrc, naturalWidth: i.naturalWidth })),
          };
        })()
        """

    /// Moves the shared slider to snapshot `k` as a user would and waits for every film to seek.
    static func seekAll(to k: Int) -> String {
        """
        (async () => {
          const films = Array.from(document.querySelectorAll('#manifolds video'));
          const seeked = films.map(v => new Promise(res => v.addEventListener('seeked', res, { once: true })));
          const slider = document.getElementById('snapshot');
          slider.value = \(k);
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          await Promise.race([Promise.all(seeked), new Promise(res => setTimeout(res, 10000))]);
          return { times: films.map(v => v.currentTime), paused: films.every(v => v.paused),
                   label: document.getElementById('snapshot-batch').textContent };
        })()
        """
    }
}
