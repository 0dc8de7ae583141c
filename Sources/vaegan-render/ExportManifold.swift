import ArgumentParser
import Canvas
import Datasets
import Report
import RunPictures
import Tensor

extension Export {
    struct ManifoldPNG: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "manifold", abstract: "One manifold frame as PNG.",
            discussion: """
                Without --axes, a recorded grid (the notebook's z[0], z[1]). With --axes, the grid is drawn anew: \
                by the latest checkpoint (or, with no run, the article model), or, with --period, by the decoder that \
                snapshot kept (a run trained with --record-decoders).
                """)
        @OptionGroup var runOptions: RunOptions
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "A label: a number, or a class's name on one's own data.") var label: String
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @OptionGroup var axesOptions: AxesOptions
        @Option(help: "Image width and height.") var size: Int = ManifoldFrame.defaultSize
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func validate() throws {
            _ = try runData(runOptions).classes.labelsGiven(label, allowAll: false)
            try checkRange(size, ManifoldFrame.sizes, "--size")
        }

        func run() throws {
            let data = runData(runOptions)
            let label = try data.classes.labelsGiven(self.label, allowAll: false)[0]
            guard let choice = try axesOptions.choice() else {
                let path = try PictureExport.write(
                    {
                        ManifoldFrame(size: size).render(
                            grid: $0.grids[label], gridSize: $0.gridSize, label: label, data: data,
                            batch: $0.batchNumber)
                    },
                    run: runOptions.run, period: period, out: out
                ) { ExportName.manifold(label: data.classes.fileNames[label], period: $0.period) }
                return wrote(path, runOptions)
            }
            if period != nil && runOptions.usesArticleModel {
                throw ValidationError(
                    "--period with --axes redraws a recorded snapshot; \(runOptions.run) holds no run")
            }
            Threads.set(runOptions.threads)
            let drawn = try RedrawnManifold(
                label: label, over: choice, drawing: try drawingModel(runOptions, dataOptions), period: period,
                run: runOptions.run, size: size, data: data)
            let (axes, name) = (drawn.axes, drawn.fileName)
            let path = try PictureExport.write(
                { drawn.picture }, out: out ?? (runOptions.usesArticleModel ? name : nil), run: runOptions.run,
                defaultName: name)
            wrote(
                path, runOptions,
                note: " (z[\(axes.column)] along a row, z[\(axes.row)] down the columns, iteration \(drawn.iteration))")
        }
    }
}
