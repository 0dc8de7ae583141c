import Datasets
import Foundation

/// Which film of a run, and the file name it goes by: `manifold_<class>.mp4` (one label's grid
/// per snapshot: `manifold_7.mp4` on MNIST, `manifold_sandal.mp4` on a set whose classes have
/// names), `all.mp4` (every label's grid as a panel), `walk.mp4` (the latent walk).
public enum Film: Equatable, Sendable {
    case manifold(label: Int)
    case panel
    case walk(labels: [Int])

    /// Frames per second of a snapshot film: one snapshot a frame, as the notebook's films.
    public static let snapshotFPS = 10
    /// A walk's length and rate: one loop round the latent circle.
    public static let walkSeconds = 12.0, walkFPS = 30

    /// The name `report` and `render --all` give it, with the classes' names of the run.
    public func fileName(_ data: DataDescription) -> String {
        switch self {
        case .manifold(let label): return "manifold_\(data.classes.fileNames[label]).mp4"
        case .panel: return "all.mp4"
        case .walk: return "walk.mp4"
        }
    }

    /// The film a file name asks for: "manifold_7.mp4" (or .gif; a class's name or number after
    /// "manifold_"), "all.mp4", any name starting with "walk"; nil for any other name.
    public init?(fileName path: String, data: DataDescription, walkLabels: [Int]? = nil) {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if name.hasPrefix("walk") { self = .walk(labels: walkLabels ?? Array(data.classes.labels)); return }
        if name == "all" { self = .panel; return }
        guard name.hasPrefix("manifold_"),
            let n = data.classes.label(ofFileForm: String(name.dropFirst("manifold_".count)))
        else { return nil }
        self = .manifold(label: n)
    }
}
