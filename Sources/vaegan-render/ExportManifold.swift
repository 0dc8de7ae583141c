import ArgumentParser
import Canvas
import Datasets
import Foundation
import RunFolder
import RunModel
import RunPictures
import Tensor
import Training
import VAEGAN

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
            _ = try parseLabel(label, allowAll: false, data: runData(runOptions))
            try checkRange(size, ManifoldFrame.sizes, "--size")
        }

        func run() throws {
            let data = runData(runOptions)
            let label = try parseLabel(self.label, allowAll: false, data: data)[0]
            let fileLabel = data.classes.fileNames[label]
            guard axesOptions.axes != nil else {
                return try exportSnapshot(
                    {
                        ManifoldFrame(size: size).render(
                            grid: $0.grids[label], gridSize: $0.gridSize, label: label, data: data,
                            batch: $0.batchNumber)
                    },
                    run: runOptions, period: period, out: out
                ) { ExportName.manifold(label: fileLabel, period: $0.period) }
            }
            if period != nil && runOptions.usesArticleModel {
                throw ValidationError(
                    "--period with --axes redraws a recorded snapshot; \(runOptions.run) holds no run")
            }
            Threads.set(runOptions.threads)
            let (model, _, dataDirectory) = try drawingModel(runOptions, dataOptions)
            let axes = try axesOptions.resolve(labels: [label], inference: model.inference) {
                try Dataset.load(directory: dataDirectory).test
            }
            let chosen = axes[label]!
            let name = ExportName.manifold(label: fileLabel, column: chosen.column, row: chosen.row, period: period)
            let grid: [UInt8], batch: Int
            if let period {
                let recorded = try RecordedRun.open(runOptions.run)
                let drawn = try recorded.snapshot(period: period).redrawn(
                    over: axes, base: model, recording: recorded.directory.recordingPath)
                (grid, batch) = (drawn.grids[label], drawn.batchNumber)
            } else {
                let cells = model.inference.manifold(label: label, axes: chosen)
                (grid, batch) = (Snapshot.quantise(UnsafeBufferPointer(cells.buffer)), model.iteration)
            }
            try export(
                {
                    ManifoldFrame(size: size).render(
                        grid: grid, gridSize: Inference.gridCells * data.side, label: label, data: data,
                        batch: batch, axes: chosen)
                }, run: runOptions, out: out ?? (runOptions.usesArticleModel ? name : nil), defaultName: name,
                note: " (z[\(chosen.column)] along a row, z[\(chosen.row)] down the columns, iteration \(batch))")
        }
    }
}
