import AtomicIO
import Datasets
import Foundation
import RunModel
import VAEGAN
import Video

extension Film {
    /// Why a file name and a label ask for no film: the one line that says so.
    public struct Problem: Error, CustomStringConvertible, Equatable, Sendable {
        public let description: String
    }

    /// The film `render` makes of a file name and its `--label` (nil without one), on a run of
    /// `data`: a walk (of the label, default every one), the panel (which takes no label), or the
    /// manifold film of the label, or of the class the file name holds.
    public static func chosen(fileName: String, label: String?, data: DataDescription) throws -> Film {
        guard VideoWriter.Container(path: fileName) != nil else {
            throw FileError(path: fileName, "unknown extension; write .mp4 or .gif")
        }
        let classes = data.classes
        switch Film(fileName: fileName, data: data, walkLabels: try classes.labelsGiven(label ?? "all", allowAll: true))
        {
        case .walk(let labels)?: return .walk(labels: labels)
        case .panel?:
            if label != nil { throw Problem(description: "all.mp4 shows every label; drop --label") }
            return .panel
        case let named:
            if let label { return .manifold(label: try classes.labelsGiven(label, allowAll: false)[0]) }
            guard let named else {
                throw FileError(
                    path: fileName,
                    "cannot tell the film from the file name; name it manifold_<label>.mp4 (\(classes.fileNames.prefix(3).joined(separator: ", ")), ...), all.mp4 or walk.mp4, or pass --label"
                )
            }
            return named
        }
    }
}

/// What `render` is asked to make of a recorded run: one film, or every label's manifold film,
/// over the recorded grids or redrawn over other latent dimensions.
public struct FilmOrder {
    /// One film and its file, or every label's manifold film into a folder (nil: the run's own).
    public enum Target {
        case one(Film, path: String)
        case everyLabel(folder: String?)
    }

    public var target: Target
    /// A manifold frame's width and height in pixels.
    public var size: Int
    /// Frames per second; nil: the film's own rate.
    public var fps: Int?
    /// A walk's length.
    public var walkSeconds: Double
    /// The latent dimensions to redraw the manifold films over, from the decoders the run kept;
    /// nil: the recorded grids over z[0], z[1].
    public var axes: LatentAxes.Choice?
    /// Where the test digits that measure 'auto' axes are: nil, where config.json says.
    public var dataDirectory: String?

    public init(
        _ target: Target, size: Int, fps: Int?, walkSeconds: Double, axes: LatentAxes.Choice?, dataDirectory: String?
    ) {
        self.target = target; self.size = size; self.fps = fps; self.walkSeconds = walkSeconds
        self.axes = axes; self.dataDirectory = dataDirectory
    }
}

extension RunFilms {
    /// Make what `order` asks of the recorded run in `run`, on `threads` cores, saying with `say`
    /// what of its recording is damaged and what it redraws. Returns what was written:
    /// "manifold_7.mp4 (40 frames)", or "10 films of 40 frames to DIR".
    public static func render(_ order: FilmOrder, ofRunIn run: String, threads: Int, say: (String) -> Void)
        throws -> String
    {
        let recorded = try RecordedRun.open(run)
        if let warning = recorded.damageWarning { say(warning) }
        var films = RunFilms(recorded, threads: threads)
        if let choice = order.axes {
            var labels = Array(recorded.config.data.classes.labels)
            if case .one(.manifold(let label), _) = order.target { labels = [label] }
            let model = try recorded.latestModel()
            let axes = try choice.resolve(labels: labels, inference: model.inference) {
                try Dataset.load(directory: order.dataDirectory ?? recorded.config.dataDirectory).test
            }
            films = try films.redrawn(over: axes, base: model, recording: recorded.directory.recordingPath)
            let named = Set(axes.values.map { "z[\($0.column)], z[\($0.row)]" }).sorted().joined(separator: "; ")
            say("redrawing over \(named) from the recorded decoders")
        }
        switch order.target {
        case .everyLabel(let folder):
            let dir = folder ?? recorded.directory.path
            if let folder { try AtomicFile.makeFolders(folder, named: "--out-dir \(folder)") }
            try films.manifolds(into: dir, size: order.size, fps: order.fps ?? Film.snapshotFPS)
            return "\(recorded.config.data.classes.count) films of \(recorded.snapshots.count) frames to \(dir)"
        case .one(let film, let path):
            let frames = try films.write(
                film, to: path, size: order.size, fps: order.fps, walkSeconds: order.walkSeconds
            ) { try recorded.latestModel() }
            return "\(path) (\(frames) frames)"
        }
    }
}
