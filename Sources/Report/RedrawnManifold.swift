import Canvas
import Datasets
import RunFolder
import RunModel
import RunPictures
import VAEGAN

/// One label's manifold frame drawn anew over two latent dimensions (`export manifold --axes`):
/// by a model's latest weights, or by the decoder a recorded snapshot kept.
public struct RedrawnManifold {
    public let picture: Surface
    /// The dimensions drawn: z[column] along a row, z[row] down the columns.
    public let axes: (column: Int, row: Int)
    /// The training iteration of the weights that drew it.
    public let iteration: Int
    /// Its file's name (`ExportName.manifold`), which names the axes and the period.
    public let fileName: String

    /// Label `label`'s frame of `size` pixels over the axes `choice` gives, drawn by `drawing`'s
    /// weights, or with `period` by that snapshot of the run in `run` (its decoder over
    /// `drawing`'s other weights); titled by `data`'s classes.
    public init(
        label: Int, over choice: LatentAxes.Choice, drawing: DrawingModel, period: Int?, run: String, size: Int,
        data: DataDescription
    ) throws {
        let model = drawing.model
        let resolved = try choice.resolve(labels: [label], inference: model.inference) {
            try Dataset.load(directory: drawing.dataDirectory).test
        }
        let chosen = resolved[label]!
        let grid: [UInt8], batch: Int
        if let period {
            let recorded = try RecordedRun.open(run)
            let drawn = try recorded.snapshot(period: period).redrawn(
                over: resolved, base: model, recording: recorded.directory.recordingPath)
            (grid, batch) = (drawn.grids[label], drawn.batchNumber)
        } else {
            let cells = model.inference.manifold(label: label, axes: chosen)
            (grid, batch) = (Snapshot.quantise(UnsafeBufferPointer(cells.buffer)), model.iteration)
        }
        picture = ManifoldFrame(size: size).render(
            grid: grid, gridSize: Inference.gridCells * data.side, label: label, data: data, batch: batch,
            axes: chosen)
        axes = chosen
        iteration = batch
        fileName = ExportName.manifold(
            label: data.classes.fileNames[label], column: chosen.column, row: chosen.row, period: period)
    }
}
