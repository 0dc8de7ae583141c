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
        var settings = ""
        for (name, value) in self.settings {
            settings += "<tr><th scope=\"row\">\(e(name))</th><td>\(e(value))</td></tr>\n"
        }
        return PageFiles.report.filled(
            [
                "title": e(title), "style": PageFiles.reportStyle, "explorerStyle": ExplorerSection.css,
                "settings": settings,
                "sections": sections(), "footer": e(footer),
                "snapshotIterations": "\(snapshotIterations)", "fps": "\(fps)", "filmsScript": PageFiles.reportScript,
                "weightsFile": WebModel.weightsFile, "scriptFile": WebModel.scriptFile,
                "explorerFile": WebModel.explorerFile, "files": WebModel.files.joined(separator: ", ")
            ],
            sections: ["films": !manifoldFilms.isEmpty, "explorer": explorerAxes != nil])
    }

    /// The sections after the run's settings: the films, the galleries, the evaluation and the explorer.
    func sections() -> String {
        let e = escapeHTML
        var h = ""
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
        return h
    }

    static func video(_ film: Media, cssClass: String) -> String {
        let e = escapeHTML
        return
            "<figure class=\"\(cssClass)\"><video src=\"\(e(fileURL(film.file)))\" muted loop autoplay controls playsinline preload=\"auto\" "
            + "aria-label=\"\(e(film.alt))\"></video><figcaption>\(e(film.caption))</figcaption></figure>\n"
    }
}
