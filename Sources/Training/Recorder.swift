import Datasets
import RunFolder
import RunModel
import Tensor
import VAEGAN

/// Takes snapshots of a model (docs/MODEL.md §6) on fixed test digits, so that every frame of a
/// film shows the same digits.
public struct Recorder {
    public let test: DigitSet
    /// One test digit of each label, for the reconstruction row.
    public let reconstructionIndices: [Int]
    /// The first `pointsPerLabel` test digits of each label, for the z_mean scatter.
    public let pointIndices: [Int]
    /// Whether each snapshot keeps the decoder's weights (`RunConfiguration.recordDecoders`).
    public let keepsDecoders: Bool

    /// What the model's data is: a grid, a reconstruction and points for each of its classes.
    public let data: DataDescription

    public init(test: DigitSet, data: DataDescription, pointsPerLabel: Int = 100, keepsDecoders: Bool = false) {
        self.test = test
        self.data = data
        self.keepsDecoders = keepsDecoders
        let classes = data.classes.count
        reconstructionIndices = (0..<classes).compactMap { test.indices(ofLabel: $0).first }
        pointIndices = (0..<classes).flatMap { test.indices(ofLabel: $0).prefix(pointsPerLabel) }
    }

    /// The snapshot, and each label's manifold cells as the decoder drew them ([225, S, S, C]
    /// floats, before the grids round them to bytes), for measuring. Drawn in the run's precision.
    public func snapshot(weights: ModelWeights, config: ModelConfig, period: Int, iteration: Int) -> (
        snapshot: Snapshot, cells: [Tensor]
    ) {
        let inference = Inference(weights: weights, config: config, precision: config.precision)
        let n = Inference.gridCells
        let cells = config.data.classes.labels.map { inference.manifoldImages(label: $0) }
        let grids = cells.map { Snapshot.quantise(UnsafeBufferPointer(Inference.tile($0, rows: n, columns: n).buffer)) }
        let x = Batch.images(test, reconstructionIndices)
        let y = Batch.oneHot(reconstructionIndices.map { Int(test.labels[$0]) }, data: data)
        let rec = inference.reconstruct(x, labels: y)
        let px = Batch.images(test, pointIndices)
        let pl = pointIndices.map { Int(test.labels[$0]) }
        let means = inference.encodeMean(px, labels: Batch.oneHot(pl, data: data))
        let d = config.latentDim
        let points = (0..<pointIndices.count).map { SIMD2(means[$0 * d], means[$0 * d + 1]) }
        let snapshot = Snapshot(
            period: period, iteration: iteration, gridSize: grids.isEmpty ? 0 : n * data.side, grids: grids,
            originals: Snapshot.digits(x), reconstructions: Snapshot.digits(rec), zPoints: points,
            zLabels: pl.map(UInt8.init), decoder: keepsDecoders ? Snapshot.decoderHalves(weights) : nil,
            imageSide: data.side, channels: data.channels)
        return (snapshot, cells)
    }
}
