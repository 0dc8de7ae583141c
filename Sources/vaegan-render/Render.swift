import ArgumentParser
import Canvas
import Dispatch
import Foundation
import Recording
import Video

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render the manifold film of a label: one titled 15x15 grid frame per snapshot.",
        discussion: """
        The label comes from the file name (manifold_<label>.mp4 or .gif) or from --label. --all writes
        manifold_0.mp4 ... manifold_9.mp4 into --out-dir (default: the run directory), using every core.
        MP4s are H.264, yuv420p, with the index at the front so browsers start playing at once.
        """)

    @Argument(help: ArgumentHelp("Output file: manifold_<label>.mp4 or .gif.", valueName: "file"))
    var output: String?

    @OptionGroup var runOptions: RunOptions

    @Option(help: "The label (0-9), when the file name does not say.")
    var label: Int?

    @Flag(help: "Render all ten labels.")
    var all = false

    @Option(name: .customLong("out-dir"), help: "Folder for --all (default: the run directory).")
    var outDir: String?

    @Option(help: "Frames per second.")
    var fps: Int = 10

    @Option(help: "Frame width and height in pixels (even).")
    var size: Int = 800

    func validate() throws {
        guard (1...120).contains(fps) else { throw ValidationError("--fps must be between 1 and 120, got \(fps)") }
        guard (64...4096).contains(size), size % 2 == 0 else { throw ValidationError("--size must be an even number between 64 and 4096, got \(size)") }
        if let label, !(0...9).contains(label) { throw ValidationError("--label must be between 0 and 9, got \(label)") }
        if all && output != nil { throw ValidationError("give either an output file or --all, not both") }
        if !all && output == nil { throw ValidationError("name an output file (e.g. manifold_7.mp4) or pass --all") }
        if let output {
            guard VideoWriter.Container(path: output) != nil else {
                throw ValidationError("\(output): unknown extension; write .mp4 or .gif")
            }
            if label == nil, Self.label(fromFileName: output) == nil {
                throw ValidationError("\(output): cannot tell the label from the file name; name it manifold_<0-9>.mp4 or pass --label")
            }
        }
    }

    /// "manifold_7.mp4" -> 7.
    static func label(fromFileName path: String) -> Int? {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        guard name.hasPrefix("manifold_"), let n = Int(name.dropFirst("manifold_".count)), (0...9).contains(n) else { return nil }
        return n
    }

    func run() throws {
        let recorded = try RecordedRun.open(runOptions.run)
        if recorded.skippedRecords > 0 {
            Terminal.info("warning: \(recorded.directory.recordingPath): \(recorded.problem ?? "damaged tail"); "
                          + "rendering the \(recorded.snapshots.count) intact snapshots, skipped \(recorded.skippedRecords)", quiet: runOptions.quiet)
        }
        let jobs: [(label: Int, path: String)]
        if all {
            let dir = outDir ?? recorded.directory.path
            jobs = (0..<10).map { ($0, (dir as NSString).appendingPathComponent("manifold_\($0).mp4")) }
        } else {
            jobs = [(label ?? Self.label(fromFileName: output!)!, output!)]
        }
        for job in jobs { try AtomicIOCheck.writable(job.path) }
        let start = Date()
        var errors: [Error?] = Array(repeating: nil, count: jobs.count)
        let lock = NSLock()
        let parallel = min(jobs.count, runOptions.threads)
        // One film per core, each encoder single-threaded: the cores stay busy without contention.
        DispatchQueue.concurrentPerform(iterations: parallel) { worker in
            for k in stride(from: worker, to: jobs.count, by: parallel) {
                do {
                    try FilmRenderer(size: size, fps: fps, x264Threads: parallel > 1 ? 1 : 0)
                        .render(recorded.snapshots, label: jobs[k].label, to: jobs[k].path)
                } catch {
                    lock.lock(); errors[k] = error; lock.unlock()
                }
            }
        }
        if let first = errors.compactMap({ $0 }).first { throw first }
        let where_ = all ? (outDir ?? recorded.directory.path) : output!
        Terminal.info("wrote \(jobs.count) film\(jobs.count == 1 ? "" : "s") of \(recorded.snapshots.count) frames to \(where_) "
                      + String(format: "in %.1f s", Date().timeIntervalSince(start)), quiet: runOptions.quiet)
    }
}

/// Draws each snapshot's grid of one label as a frame and encodes the film.
struct FilmRenderer {
    let size: Int, fps: Int, x264Threads: Int

    func render(_ snapshots: [Snapshot], label: Int, to path: String) throws {
        let writer = try VideoWriter(path: path, width: size, height: size, fps: fps, x264Threads: x264Threads)
        let frame = ManifoldFrame(size: size)
        let surface = Surface(width: size, height: size)
        for s in snapshots {
            frame.draw(on: surface, grid: s.grids[label], gridSize: s.gridSize, label: label, batch: s.batchNumber)
            try surface.withPixels { try writer.append(bgr0: $0, stride: surface.stride) }
        }
        try writer.finish()
    }
}
