import Datasets
import Evaluation
import Foundation
import RunFolder
import RunModel
import Tensor
import TestSupport
import Training
import VAEGAN
import XCTest

/// The shipped classifier and the metrics on real digits, where the answers are known.
final class ClassifierTests: XCTestCase {
    static let shipped = URL(fileURLWithPath: #filePath).appendingPathComponent(
        "../../../Assets/classifier.safetensors"
    ).standardized.path

    static let test: DigitSet? = try? Dataset.load(directory: DatasetKind.mnist.defaultDirectory).test

    override class func setUp() { Threads.set(2) }

    func data() throws -> DigitSet {
        try XCTUnwrap(Self.test, "MNIST is not set up (run scripts/setup.sh)")
    }

    func testShippedWeightsReachNinetyNinePercentOnTheTestSet() throws {
        let test = try data()
        let classifier = try Classifier.load(path: Self.shipped)
        let accuracy = ClassifierTraining.accuracy(of: classifier, on: test)
        XCTAssertGreaterThanOrEqual(accuracy, 0.99, "test accuracy \(accuracy)")
        let meta = try SafeTensors.read(path: Self.shipped).metadata
        XCTAssertEqual(meta["test_accuracy"], String(format: "%.4f", accuracy), "the file says what it scores")
    }

    /// Real test digits as if a generator had drawn them: label accuracy >= 0.99, sharpness ratio
    /// ~1, Fréchet distance ~0 for a set against itself and small between two halves, diversity
    /// ratio ~1. Blurred digits score a lower sharpness and a large distance. The halves
    /// interleave (even and odd indices): MNIST's test set is ordered by writer population.
    func testRealDigitsScoreLikeRealDigits() throws {
        let test = try data()
        let classifier = try Classifier.load(path: Self.shipped)
        let labels = test.labels.map(Int.init)
        let all = classifier.judge(Batch.images(test, 0..<test.count))
        XCTAssertGreaterThanOrEqual(
            Metrics.agreement(predicted: all.labels, intended: labels, classes: 10).overall, 0.99)

        let even = Array(stride(from: 0, to: test.count, by: 2)), odd = Array(stride(from: 1, to: test.count, by: 2))
        let first = Batch.images(test, even), second = Batch.images(test, odd)
        XCTAssertEqual(Metrics.sharpness(first) / Metrics.sharpness(second), 1, accuracy: 0.03)
        XCTAssertLessThan(
            Metrics.sharpness(Self.boxBlur(first)) / Metrics.sharpness(second), 0.8, "blur lowers sharpness")

        func gaussian(_ f: Tensor) -> FrechetDistance.Gaussian {
            FrechetDistance.Gaussian(
                rows: UnsafeBufferPointer(f.buffer), count: f.shape[0], dimension: Classifier.featureCount)
        }
        let f1 = classifier.judge(first).features, f2 = classifier.judge(second).features
        let a = gaussian(f1), b = gaussian(f2)
        XCTAssertEqual(FrechetDistance.distance(a, a), 0, accuracy: 1e-6)
        let halves = FrechetDistance.distance(a, b)
        let blurred = FrechetDistance.distance(gaussian(classifier.judge(Self.boxBlur(first)).features), b)
        XCTAssertLessThan(
            halves, blurred / 10,
            "two halves of the test set are close (\(halves)); blurred digits are far (\(blurred))")

        let d1 = Metrics.diversity(features: f1, labels: even.map { labels[$0] }, classes: 10)
        let d2 = Metrics.diversity(features: f2, labels: odd.map { labels[$0] }, classes: 10)
        for l in 0..<10 { XCTAssertEqual(d1[l] / d2[l], 1, accuracy: 0.05, "label \(l)") }
    }

    /// Manifold cells that are real test digits score what the classifier and the sharpness
    /// measure say of those digits directly.
    func testSnapshotMetricsOnRealDigits() throws {
        let test = try data()
        let classifier = try Classifier.load(path: Self.shipped)
        let metrics = SnapshotMetrics(classifier: classifier, test: test)
        let indices = (0..<10).flatMap { test.indices(ofLabel: $0).prefix(225) }
        let digits = Batch.images(test, indices)
        let values = metrics.measure((0..<10).map { digits.rows($0 * 225..<($0 + 1) * 225) })
        XCTAssertEqual(values.count, metrics.names.count)
        let direct = Metrics.agreement(
            predicted: classifier.judge(digits).labels, intended: indices.map { Int(test.labels[$0]) }, classes: 10)
        XCTAssertEqual(values[0], direct.overall, accuracy: 1e-12, "label accuracy")
        XCTAssertGreaterThan(values[0], 0.97)
        XCTAssertEqual(Array(values[2...]), direct.perLabel)
        let sharpness = Metrics.sharpness(digits) / Metrics.sharpness(Batch.images(test, 0..<test.count))
        XCTAssertEqual(values[1], sharpness, accuracy: 1e-6, "sharpness ratio")
    }

    /// The same seed and thread count give the same weights, and a few steps lower the loss.
    func testTrainingIsReproducible() throws {
        let test = try data()
        let small = Dataset(train: test.prefix(2_000), test: test.prefix(200))
        var training = ClassifierTraining(data: .digits)
        training.epochs = 2
        training.learningRate = 1e-2  // TF1 RMSProp starts its accumulator at 1: tiny first steps at 1e-3
        var losses: [Float] = []
        let a = training.train(on: small, progress: { losses.append($0.loss) })
        let b = training.train(on: small)
        for name in a.names { XCTAssertEqual(a.byName[name]!.value.array, b.byName[name]!.value.array, name) }
        // From ln 10 = 2.30 (chance) down by 0.05 or more on average over the last ten steps.
        XCTAssertLessThan(
            losses.suffix(10).reduce(0, +) / 10, losses.prefix(10).reduce(0, +) / 10 - 0.05,
            "training lowers the loss: \(losses)")
    }

    func testBadClassifierFilesAreNamed() throws {
        let dir = try tempDir("classifier")
        XCTAssertThrowsError(try Classifier.load(path: dir + "/none.safetensors")) {
            XCTAssertTrue("\($0)".contains("no such file"), "\($0)")
        }
        try SafeTensors.write(["x": StoredArray(shape: [2], values: [0, 0])], to: dir + "/other.safetensors")
        XCTAssertThrowsError(try Classifier.load(path: dir + "/other.safetensors")) {
            XCTAssertTrue("\($0)".contains("not a classifier"), "\($0)")
        }
        var rng = RNG(seed: 1)
        var tensors = Classifier(data: .digits, rng: &rng).byName.mapValues { StoredArray($0.value) }
        tensors["dense2.bias"] = StoredArray(shape: [10], values: [Float](repeating: .nan, count: 10))
        try SafeTensors.write(tensors, to: dir + "/nan.safetensors")
        XCTAssertThrowsError(try Classifier.load(path: dir + "/nan.safetensors")) {
            XCTAssertTrue("\($0)".contains("NaN"), "\($0)")
        }
    }

    /// 5x5 box blur (zero outside the image).
    static func boxBlur(_ images: Tensor) -> Tensor {
        let out = Tensor(shape: images.shape)
        for b in 0..<images.shape[0] {
            for y in 0..<28 {
                for x in 0..<28 {
                    var s: Float = 0
                    for dy in -2...2 {
                        for dx in -2...2 where (0..<28).contains(y + dy) && (0..<28).contains(x + dx) {
                            s += images[b * 784 + (y + dy) * 28 + x + dx]
                        }
                    }
                    out[b * 784 + y * 28 + x] = s / 25
                }
            }
        }
        return out
    }
}
