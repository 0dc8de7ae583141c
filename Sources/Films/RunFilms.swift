import AtomicIO
import Canvas
import Datasets
import Dispatch
import Foundation
import RunFolder
import RunModel
import Tensor
import VAEGAN
import Video

/// The films of a run's snapshots, for `render`, `report` and `bench`.
public struct RunFilms: Sendable {
    public let snapshots: [Snapshot]
    public let threads: Int
    /// Each label's latent dimensions when its grids were redrawn (`redrawn(over:...)`), named in
    /// the frames' captions; nil for the recorded grids over the notebook's z[0], z[1].
    public let axes: [Int: LatentPair]?
    /// What the run's data is: its classes by label name the frames' titles and the films' files
    /// (names on a run of one's own data, numbers on MNIST).
    public let data: DataDescription

    public typealias LatentPair = (column: Int, row: Int)

    public init(snapshots: [Snapshot], threads: Int, data: DataDescription) {
        self.init(snapshots: snapshots, threads: threads, axes: nil, data: data)
    }

    /// A recorded run's films, titled by its classes' names where it has them.
    public init(_ recorded: RecordedRun, threads: Int) {
        self.init(snapshots: recorded.snapshots, threads: threads, data: recorded.config.data)
    }

    init(snapshots: [Snapshot], threads: Int, axes: [Int: LatentPair]?, data: DataDescription) {
        self.snapshots = snapshots; self.threads = threads; self.axes = axes; self.data = data
    }

    /// The same films with the grids of `axes`' labels redrawn over their two dimensions, each
    /// snapshot by the decoder it kept (16 bits) and `base`'s other weights (`Snapshot.redrawn`).
    /// The dimensions stay fixed for the whole film.
    public func redrawn(over axes: [Int: LatentPair], base: LatestModel, recording: String) throws -> RunFilms {
        RunFilms(
            snapshots: try snapshots.map { try $0.redrawn(over: axes, base: base, recording: recording) },
            threads: threads, axes: axes, data: data)
    }

    /// One label's film: the notebook's frame of its grid, one per snapshot.
    public func manifold(
        label: Int, to path: String, size: Int = ManifoldFrame.defaultSize, fps: Int = Film.snapshotFPS,
        x264Threads: Int = 0
    ) throws {
        let frame = ManifoldFrame(size: size)
        try Self.encode(
            to: path, width: size, height: size, fps: fps, x264Threads: x264Threads, colour: data.isColour,
            frames: snapshots.count
        ) { surface, k in
            let s = snapshots[k]
            frame.draw(
                on: surface, grid: s.grids[label], gridSize: s.gridSize, label: label, data: data,
                batch: s.batchNumber, axes: axes?[label])
        }
    }

    /// Each label's manifold film (`labels`, default every one), named manifold_<class>.mp4 in
    /// `dir`: one film per core, each encoder single-threaded, so the cores stay busy without contention.
    public func manifolds(
        into dir: String, labels: [Int]? = nil, size: Int = ManifoldFrame.defaultSize, fps: Int = Film.snapshotFPS
    ) throws {
        let jobs = (labels ?? Array(data.classes.labels)).map {
            ($0, (dir as NSString).appendingPathComponent(Film.manifold(label: $0).fileName(data)))
        }
        for (_, path) in jobs { try AtomicFile.checkWritable(path) }
        let errors = JobErrors(count: jobs.count)
        let parallel = max(1, min(jobs.count, threads))
        DispatchQueue.concurrentPerform(iterations: parallel) { worker in
            for k in stride(from: worker, to: jobs.count, by: parallel) {
                do {
                    try manifold(
                        label: jobs[k].0, to: jobs[k].1, size: size, fps: fps, x264Threads: parallel > 1 ? 1 : 0)
                } catch {
                    errors.record(error, job: k)
                }
            }
        }
        try errors.throwFirst()
    }

    /// Every label per snapshot, as a panel (MNIST's ten as 2x5).
    public func panel(to path: String, fps: Int = Film.snapshotFPS) throws {
        let frame = PanelFrame(data: data)
        try Self.encode(
            to: path, width: frame.width, height: frame.height, fps: fps, colour: data.isColour,
            frames: snapshots.count
        ) { surface, k in
            let s = snapshots[k]
            frame.draw(on: surface, grids: s.grids, gridSize: s.gridSize, batch: s.batchNumber)
        }
    }

    /// A closed loop through (z[0], z[1]) decoded with each of `labels` by `model` (a run's
    /// latest weights). Returns the number of frames.
    @discardableResult
    public static func walk(
        _ model: LatestModel, labels: [Int], to path: String, seconds: Double = Film.walkSeconds,
        fps: Int = Film.walkFPS
    ) throws -> Int {
        try AtomicFile.checkWritable(path)
        let steps = max(2, Int((seconds * Double(fps)).rounded()))
        let loop = Inference.latentLoop(steps: steps)
        let images = model.inference.walkImages(loop: loop, labels: labels)
        let digits = Snapshot.digits(images)
        let frame = WalkFrame(labels: labels, data: model.inference.config.data)
        let what = labels.count == 1 ? "label \(labels[0])" : "all labels"
        try encode(
            to: path, width: frame.width, height: frame.height, fps: fps, colour: frame.data.isColour, frames: steps
        ) { surface, k in
            frame.draw(
                on: surface, digits: Array(digits[k * labels.count..<(k + 1) * labels.count]),
                title: "Latent walk, \(what), Batch: \(model.iteration)", angle: loop[k].angle,
                z: (loop[k].z0, loop[k].z1))
        }
        return steps
    }

    /// Write one film: a manifold or the panel from the snapshots, a walk with `model()` (the run's
    /// latest weights, loaded only for a walk). `fps` nil: the film's own rate. Returns the frames.
    @discardableResult
    public func write(
        _ film: Film, to path: String, size: Int = ManifoldFrame.defaultSize, fps: Int? = nil,
        walkSeconds: Double = Film.walkSeconds, model: () throws -> LatestModel
    ) throws -> Int {
        switch film {
        case .manifold(let label): try manifold(label: label, to: path, size: size, fps: fps ?? Film.snapshotFPS)
        case .panel: try panel(to: path, fps: fps ?? Film.snapshotFPS)
        case .walk(let labels):
            return try Self.walk(
                try model(), labels: labels, to: path, seconds: walkSeconds, fps: fps ?? Film.walkFPS)
        }
        return snapshots.count
    }

    /// Draw `frames` frames with `draw` and encode them (`colour`: as colour frames, tagged so).
    public static func encode(
        to path: String, width: Int, height: Int, fps: Int, x264Threads: Int = 0, colour: Bool, frames: Int,
        draw: (Surface, Int) -> Void
    ) throws {
        let writer = try VideoWriter(
            path: path, width: width, height: height, fps: fps, x264Threads: x264Threads, colour: colour)
        let surface = Surface(width: width, height: height)
        for k in 0..<frames {
            draw(surface, k)
            try surface.withPixels { try writer.append(bgr0: $0, stride: surface.stride) }
        }
        try writer.finish()
    }
}

/// The errors of jobs run in parallel, each recorded under a lock; the first job's is thrown.
final class JobErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error?]

    init(count: Int) { errors = Array(repeating: nil, count: count) }

    func record(_ error: Error, job: Int) {
        lock.lock()
        errors[job] = error
        lock.unlock()
    }

    func throwFirst() throws {
        if let first = errors.compactMap({ $0 }).first { throw first }
    }
}
