import AtomicIO
import Browser
import Foundation
import RunPictures

/// The report of one run: a single static HTML page that shows the run's films, sheets, plots and
/// numbers from files beside it. Everything it needs is in the page or in its folder: no script,
/// style sheet or font is fetched, so it works opened from disk with no network.
public struct ReportPage {
    /// A picture or film in the report's folder, with the text a reader without it gets.
    public struct Media {
        public var file: String
        public var caption: String
        public var alt: String
        public init(file: String, caption: String, alt: String) {
            self.file = file; self.caption = caption; self.alt = alt
        }

        /// A picture of a run's list, as the page shows it.
        public init(_ picture: RunPicture) { self.init(file: picture.file, caption: picture.caption, alt: picture.alt) }
    }

    /// One section of pictures.
    public struct Gallery {
        public var title: String
        public var intro: String
        public var images: [Media]
        /// Minimum width of a column in CSS pixels.
        public var columnWidth: Int
        public init(title: String, intro: String, images: [Media], columnWidth: Int) {
            self.title = title; self.intro = intro; self.images = images; self.columnWidth = columnWidth
        }
    }

    public var title: String
    /// The run's settings, in order.
    public var settings: [(name: String, value: String)]
    /// The manifold films, label by label.
    public var manifoldFilms: [Media]
    /// The iteration of each snapshot: frame k of every manifold film shows snapshot k.
    public var snapshotIterations: [Int]
    public var fps: Int
    /// The all-labels panel film and the latent walk.
    public var otherFilms: [Media]
    public var galleries: [Gallery]
    /// evaluate's numbers as rows of (measure, value, what it means), or nil if the run has not
    /// been evaluated; `evaluationNote` says which checkpoint they describe.
    public var evaluation: [(name: String, value: String, meaning: String)]?
    public var evaluationNote: String
    public var footer: String
    /// The two latent dimensions the explorer's pad starts on, when the page runs the model
    /// itself (`WebModel`'s files beside it); nil for a page without the explorer.
    public var explorerAxes: (Int, Int)?

    public init(
        title: String, settings: [(name: String, value: String)], manifoldFilms: [Media], snapshotIterations: [Int],
        fps: Int,
        otherFilms: [Media], galleries: [Gallery], evaluation: [(name: String, value: String, meaning: String)]?,
        evaluationNote: String, footer: String
    ) {
        self.title = title; self.settings = settings; self.manifoldFilms = manifoldFilms
        self.snapshotIterations = snapshotIterations; self.fps = fps; self.otherFilms = otherFilms
        self.galleries = galleries; self.evaluation = evaluation; self.evaluationNote = evaluationNote;
        self.footer = footer
    }

    public static let fileName = RunPictures.pageName

    /// Write `index.html` into `folder`, atomically.
    public func write(toFolder folder: String) throws {
        try AtomicFile.write(Data(html().utf8), to: (folder as NSString).appendingPathComponent(Self.fileName))
    }

    public func html() -> String {
        let e = escapeHTML
        var h = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <style>\(Self.css)\n\(ExplorerSection.css)</style>
            </head>
            <body>
            <header><h1>\(e(title))</h1></header>
            <main>
            <section id="run"><h2>Run</h2>
            <table class="settings">\n
            """
        for (name, value) in settings { h += "<tr><th scope=\"row\">\(e(name))</th><td>\(e(value))</td></tr>\n" }
        h += "</table></section>\n"

        if !manifoldFilms.isEmpty {
            let last = max(snapshotIterations.count - 1, 0)
            h += """
                <section id="manifolds"><h2>Manifold films</h2>
                <p>For each label, the decoder's 15x15 grid over (z[0], z[1]) at every snapshot, \(snapshotIterations.count) \
                snapshots at \(fps) per second. The slider moves every film to the same snapshot.</p>
                <div class="controls">
                <button type="button" id="play-all">Pause all</button>
                <label for="snapshot">Snapshot</label>
                <input type="range" id="snapshot" min="0" max="\(last)" step="1" value="0" aria-describedby="snapshot-batch">
                <output id="snapshot-batch" for="snapshot">Batch: \(snapshotIterations.first ?? 0)</output>
                </div>
                <div class="films">\n
                """
            for film in manifoldFilms { h += Self.video(film, cssClass: "manifold") }
            h += "</div></section>\n"
        }
        if !otherFilms.isEmpty {
            h += "<section id=\"films\"><h2>All labels, and a walk through the latent space</h2>\n"
            for film in otherFilms { h += Self.video(film, cssClass: "wide") }
            h += "</section>\n"
        }
        for g in galleries {
            h += "<section><h2>\(e(g.title))</h2>\n<p>\(e(g.intro))</p>\n"
            h += "<div class=\"gallery\" style=\"--column: \(g.columnWidth)px\">\n"
            for image in g.images {
                h +=
                    "<figure><img src=\"\(e(fileURL(image.file)))\" alt=\"\(e(image.alt))\" loading=\"lazy\">"
                    + "<figcaption>\(e(image.caption))</figcaption></figure>\n"
            }
            h += "</div></section>\n"
        }
        if evaluation != nil || !evaluationNote.isEmpty {
            h += "<section id=\"evaluation\"><h2>Evaluation</h2>\n<p>\(e(evaluationNote))</p>\n"
            if let evaluation {
                h +=
                    "<table class=\"numbers\"><thead><tr><th scope=\"col\">measure</th><th scope=\"col\">value</th><th scope=\"col\">what it says</th></tr></thead><tbody>\n"
                for row in evaluation {
                    h +=
                        "<tr><th scope=\"row\">\(e(row.name))</th><td class=\"value\">\(e(row.value))</td><td>\(e(row.meaning))</td></tr>\n"
                }
                h += "</tbody></table>\n"
            }
            h += "</section>\n"
        }
        if let axes = explorerAxes {
            h += ExplorerSection.html(
                axes: axes,
                status:
                    "This part runs the model in the page and needs JavaScript; the films and pictures above do not.",
                manifold: true)
        }
        h += "</main>\n<footer>\(e(footer))</footer>\n"
        if !manifoldFilms.isEmpty {
            h +=
                "<script>\nconst snapshotIterations = \(snapshotIterations);\nconst fps = \(fps);\n\(Self.script)</script>\n"
        }
        if explorerAxes != nil {
            let files = [WebModel.weightsFile, WebModel.scriptFile, WebModel.explorerFile]
            h += files.map { "<script src=\"\($0)\"></script>\n" }.joined()
            // Runs after the three, loaded or not: a page copied away from its folder says so.
            h += """
                <script>
                if (!window.vaeganExplore) {
                  const root = document.getElementById('explore');
                  root.querySelector('.explore-status').textContent = "The model's files (\(files.joined(separator: ", "))) did not load beside this page: open index.html in its own folder.";
                  root.classList.add('broken');
                }
                </script>

                """
        }
        return h + "</body>\n</html>\n"
    }

    static func video(_ film: Media, cssClass: String) -> String {
        let e = escapeHTML
        return
            "<figure class=\"\(cssClass)\"><video src=\"\(e(fileURL(film.file)))\" muted loop autoplay controls playsinline preload=\"auto\" "
            + "aria-label=\"\(e(film.alt))\"></video><figcaption>\(e(film.caption))</figcaption></figure>\n"
    }

    /// Readable from 600 px (two films a row) to 1280 px and wider (five a row).
    public static let css = """
        :root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1; --accent: #1f6feb; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
        header { padding: 1.25rem 1.5rem; border-bottom: 1px solid var(--line); background: #f6f8fa; }
        h1 { margin: 0; font-size: 1.5rem; overflow-wrap: anywhere; }
        main { max-width: 1400px; margin: 0 auto; padding: 0 1.5rem 2rem; }
        section { margin-top: 2rem; }
        h2 { font-size: 1.2rem; margin: 0 0 .5rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
        p { margin: .25rem 0 .75rem; color: var(--muted); max-width: 75ch; }
        table { border-collapse: collapse; }
        th, td { text-align: left; padding: .3rem .8rem .3rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; white-space: nowrap; }
        td { overflow-wrap: anywhere; }
        td.value { font-variant-numeric: tabular-nums; white-space: nowrap; }
        .controls { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin: .5rem 0 1rem; }
        .controls input[type=range] { flex: 1 1 240px; accent-color: var(--accent); }
        .controls output { font-variant-numeric: tabular-nums; min-width: 8ch; }
        button { font: inherit; padding: .3rem .9rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
        button:hover { border-color: var(--accent); }
        figure { margin: 0; }
        figcaption { font-size: .9rem; color: var(--muted); text-align: center; padding: .2rem 0 .6rem; }
        video, img { display: block; width: 100%; height: auto; background: #fff; }
        .films { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 230px), 1fr)); gap: .75rem; }
        .films video { aspect-ratio: 1 / 1; border: 1px solid var(--line); }
        figure.wide { margin-bottom: 1rem; }
        figure.wide video { border: 1px solid var(--line); }
        .gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, var(--column)), 1fr)); gap: .75rem; align-items: start; }
        .gallery img { border: 1px solid var(--line); }
        footer { padding: 1rem 1.5rem 2rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); }
        @media (max-width: 700px) {
          header, main, footer { padding-left: .75rem; padding-right: .75rem; }
          .films { grid-template-columns: repeat(2, 1fr); }
          table.numbers td:last-child { display: none; }
        }
        """

    /// The shared control: the slider pauses the ten films and shows snapshot k in each (the middle
    /// of frame k); the button plays or pauses them together, from one time.
    static let script = """
        const films = Array.from(document.querySelectorAll('#manifolds video'));
        const slider = document.getElementById('snapshot');
        const batch = document.getElementById('snapshot-batch');
        const button = document.getElementById('play-all');
        function showBatch(k) { batch.textContent = 'Batch: ' + (snapshotIterations[k] ?? 0); }
        function seekAll(k) {
          for (const v of films) { v.pause(); v.currentTime = (k + 0.5) / fps; }
          showBatch(k);
          button.textContent = 'Play all';
        }
        slider.addEventListener('input', () => seekAll(Number(slider.value)));
        button.addEventListener('click', () => {
          if (films.some(v => !v.paused)) { films.forEach(v => v.pause()); button.textContent = 'Play all'; return; }
          const t = films.length ? films[0].currentTime : 0;
          for (const v of films) { v.currentTime = t; v.play().catch(() => {}); }
          button.textContent = 'Pause all';
        });
        if (films.length) films[0].addEventListener('timeupdate', () => {
          if (films[0].paused) return;
          const k = Math.min(snapshotIterations.length - 1, Math.floor(films[0].currentTime * fps));
          slider.value = k; showBatch(k);
        });
        """
}
