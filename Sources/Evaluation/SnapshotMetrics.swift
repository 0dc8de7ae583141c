import Datasets
import Foundation
import RunModel
import Tensor
import VAEGAN

/// The cheap measures taken on every snapshot while training (metrics.csv): label accuracy of the
/// manifold grids and their sharpness relative to real test digits.
public struct SnapshotMetrics {
    /// metrics.csv's columns after iteration and period.
    public static let labelAccuracy = "label_accuracy", sharpnessRatio = "sharpness_ratio"
    public let classifier: Classifier
    public let realSharpness: Double

    public init(classifier: Classifier, test: DigitSet) {
        self.classifier = classifier
        // In slices: the whole test set as floats would be 31 MB more at the training's peak.
        let slices = stride(from: 0, to: test.count, by: 1_000).map { start -> Double in
            let rows = start..<min(test.count, start + 1_000)
            return Metrics.sharpness(Batch.images(test, rows)) * Double(rows.count)
        }
        realSharpness = slices.reduce(0, +) / Double(max(test.count, 1))
    }

    /// metrics.csv's columns after iteration and period: the two above, then each label's accuracy.
    public var names: [String] {
        [Self.labelAccuracy, Self.sharpnessRatio] + (0..<classifier.classCount).map { "accuracy_\($0)" }
    }

    /// The values in `names` order, of each label's manifold cells ([cells, 28, 28, 1], label k's
    /// at index k).
    public func measure(_ cells: [Tensor]) -> [Double] {
        let (images, a) = Evaluator.gridAgreement(classifier, cells: cells, batchSize: cells.first?.shape[0] ?? 1)
        return [a.overall, Metrics.sharpness(images) / realSharpness] + a.perLabel
    }
}

extension SnapshotMetrics {
    /// The measures of a run's snapshots (metrics.csv), judged by the classifier `named`: MNIST
    /// runs only (nil for others). Without the shipped weights the run goes on unmeasured, which
    /// `say` notes, unless the user named the classifier file: then its error stands.
    public static func forRun(of dataset: DatasetKind, test: DigitSet, named: RunJudge.Named, say: (String) -> Void)
        throws -> SnapshotMetrics?
    {
        guard dataset == .mnist else { return nil }
        let classifier: Classifier
        do { classifier = try named.load() } catch {
            if named.isExplicit { throw error }
            say("note: \(error); snapshots are not measured (no metrics.csv)")
            return nil
        }
        return SnapshotMetrics(classifier: classifier, test: test)
    }
}
