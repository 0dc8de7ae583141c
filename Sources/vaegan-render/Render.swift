import ArgumentParser
import Canvas
import Console
import Films
import Foundation
import Tensor

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render films of a run: a label's manifold, all labels, or a walk through the latent space.",
        discussion: """
            The file name says which film: manifold_<label>.mp4 is the notebook's film of one label, one titled \
            15x15 grid per snapshot (or name any file and pass --label); on one's own data the label is its \
            class's name as file names hold it (manifold_sandal.mp4) or its number. all.mp4 shows every label's \
            grid of each snapshot as a panel under one title (MNIST's ten as 2x5); walk.mp4 (any name starting \
            with "walk") takes the run's latest weights round a closed loop through (z[0], z[1]) and draws the \
            digits of --label (default: all, side by side, so one style moves through every label). --all writes \
            manifold_0.mp4 ... manifold_9.mp4 (one per class) into --out-dir (default: the run directory), using \
            every core. --axes redraws the \
            manifold films over two other latent dimensions, the same for every frame and named in each frame's \
            caption, from the decoders a run trained with --record-decoders keeps. MP4s are H.264, yuv420p, with \
            the index at the front so browsers start playing at once; .gif writes a GIF.
            """)

    @Argument(help: ArgumentHelp("Output file: manifold_<label>.mp4, all.mp4, walk.mp4 (or .gif).", valueName: "file"))
    var output: String?
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var axesOptions: AxesOptions
    @Option(help: "The label (a number, or a class's name): for a manifold film; or 'all' for a walk (default: all).")
    var label: String?
    @Flag(help: "Render every label's manifold film.")
    var all = false
    @Option(
        name: .customLong("out-dir"), help: "Folder for --all, made if it does not exist (default: the run directory).")
    var outDir: String?
    @Option(help: "Frames per second (default: \(Film.snapshotFPS), one snapshot per frame; a walk: \(Film.walkFPS)).")
    var fps: Int?
    @Option(help: "Length of a walk film in seconds.")
    var seconds: Double = Film.walkSeconds
    @Option(help: "Frame width and height of a manifold film in pixels (even).")
    var size: Int = ManifoldFrame.defaultSize

    func validate() throws {
        if let fps { try checkRange(fps, 1...120, "--fps") }
        try checkRange(size, ManifoldFrame.sizes, "--size")
        guard size % 2 == 0 else {
            throw ValidationError("--size must be an even number (H.264 frames are), got \(size)")
        }
        guard seconds.isFinite, seconds > 0, seconds <= 600 else {
            throw ValidationError("--seconds must be more than 0 and at most 600, got \(seconds)")
        }
        if all && output != nil { throw ValidationError("give either an output file or --all, not both") }
        if !all && output == nil {
            throw ValidationError("name an output file (e.g. manifold_7.mp4, all.mp4, walk.mp4) or pass --all")
        }
        if !all && outDir != nil { throw ValidationError("--out-dir goes with --all; for one film, name its path") }
        if !all { _ = try film() }
        if axesOptions.axes != nil && !all {
            guard case .manifold = try film() else {
                throw ValidationError("--axes redraws manifold films (manifold_<label>.mp4 or --all), not \(output!)")
            }
        }
    }

    /// Which film to make, from the file name and --label (not asked with --all).
    func film() throws -> Film { try Film.chosen(fileName: output!, label: label, data: runData(runOptions)) }

    func run() throws {
        Threads.set(runOptions.threads)
        let start = Date()
        let order = FilmOrder(
            all ? .everyLabel(folder: outDir) : .one(try film(), path: output!), size: size, fps: fps,
            walkSeconds: seconds, axes: try axesOptions.choice(), dataDirectory: dataOptions.data)
        let written = try RunFilms.render(order, ofRunIn: runOptions.run, threads: runOptions.threads) {
            Terminal.info($0, quiet: runOptions.quiet)
        }
        Terminal.info(
            "wrote " + written + String(format: " in %.1f s", Date().timeIntervalSince(start)), quiet: runOptions.quiet)
    }
}
