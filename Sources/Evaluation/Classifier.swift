import AtomicIO
import Datasets
import Foundation
import RunFolder
import RunModel
import Tensor

/// A small MNIST digit classifier, the judge of `evaluate`: it says which digit a generated image
/// shows, and its penultimate layer gives the features of the Fréchet distance.
///
///     Conv 3x3 32 · ReLU · MaxPool (28->14) · Conv 3x3 64 · ReLU · MaxPool (14->7) ·
///     Flatten (3136) · Dense 128 · ReLU (= features) · Dropout 0.3 (training only) · Dense 10 (logits)
///
/// The same layers judge a set of another shape (side S, C channels): the first convolution reads
/// C channels and the flatten is (S/4)^2 x 64; a file's shapes say which it judges.
///
/// Trained by `vaegan-render train-classifier` with this engine; the shipped weights are
/// `Assets/classifier.safetensors`.
public final class Classifier {
    public static let featureCount = 128

    static func layers(classes: Int, side: Int, channels: Int) -> [(name: String, kernelShape: [Int])] {
        [
            ("conv1", [3, 3, channels, 32]),
            ("conv2", [3, 3, 32, 64]),
            ("dense1", [pooled(side) * pooled(side) * 64, featureCount]),
            ("dense2", [featureCount, classes])
        ]
    }

    /// A side after the two 2x2 'same' max-pools.
    static func pooled(_ side: Int) -> Int { ((side + 1) / 2 + 1) / 2 }

    /// How many classes it tells apart: the outputs of its last layer.
    public let classCount: Int
    /// The side and channels of the images it reads.
    public let side: Int, channels: Int
    /// Parameters by name (`conv1.kernel`, `conv1.bias`, ...), in layer order.
    public let names: [String]
    public let byName: [String: Variable]
    /// The checksum of the data it was trained on (`Dataset.checksum`), where its file names one:
    /// a classifier of one's own data. MNIST's has none.
    public var dataChecksum: String?

    /// Fresh weights: Glorot-uniform kernels and zero biases, drawn in layer order.
    public convenience init(data: DataDescription, rng: inout RNG) {
        var tensors: [String: Tensor] = [:]
        for l in Self.layers(classes: data.classes.count, side: data.side, channels: data.channels) {
            tensors[l.name + ".kernel"] = Initializer.glorotUniform(l.kernelShape, rng: &rng)
            tensors[l.name + ".bias"] = Tensor(shape: [l.kernelShape.last!])
        }
        try! self.init(tensors: tensors, path: "")
    }

    /// Weights from named tensors; every tensor must be there with its shape and finite values. The
    /// last layer's bias says how many classes (2 to 64), the first kernel how many channels, and
    /// the first dense layer's inputs which side.
    public init(tensors: [String: Tensor], path: String) throws {
        let classes = tensors["dense2.bias"]?.shape.first ?? DataDescription.digits.classes.count
        let channels = tensors["conv1.kernel"].flatMap { $0.shape.count == 4 ? $0.shape[2] : nil } ?? 1
        let flattened = tensors["dense1.kernel"]?.shape.first ?? 0
        let side =
            DataDescription.sides.first {
                DataDescription.isSide($0) && Self.pooled($0) * Self.pooled($0) * 64 == flattened
            }
            ?? Digit.side
        guard ClassNames.counts.contains(classes) else {
            throw ClassifierError(
                path: path,
                "tells \(classes) classes apart; a classifier tells \(ClassNames.counts.lowerBound) to \(ClassNames.counts.upperBound)"
            )
        }
        var names: [String] = [], vars: [String: Variable] = [:]
        for l in Self.layers(classes: classes, side: side, channels: channels) {
            for (name, shape) in [(l.name + ".kernel", l.kernelShape), (l.name + ".bias", [l.kernelShape.last!])] {
                guard let t = tensors[name] else {
                    throw ClassifierError(path: path, "tensor '\(name)' is missing: not a classifier file")
                }
                guard t.shape == shape else {
                    throw ClassifierError(path: path, "tensor '\(name)' has shape \(t.shape), expected \(shape)")
                }
                guard t.isFinite else {
                    throw ClassifierError(path: path, "tensor '\(name)' holds NaN or infinite values")
                }
                names.append(name)
                vars[name] = Variable(t, groups: .classifier)
            }
        }
        classCount = classes
        self.side = side
        self.channels = channels
        self.names = names
        byName = vars
    }

    /// Whether it judges images of `data`: it tells as many classes apart, and reads images of
    /// that shape.
    public func judges(_ data: DataDescription) -> Bool {
        classCount == data.classes.count && data.side == side && data.channels == channels
    }

    /// The shipped weights, `Assets/classifier.safetensors`, of MNIST's digits.
    public static var shippedPath: String { ShippedAsset.path("classifier.safetensors") }

    /// Read weights written by `save` (safetensors).
    public static func load(path: String) throws -> Classifier {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ClassifierError(
                path: path, "no such file (train one with `vaegan-render train-classifier`, or pass --classifier)")
        }
        let file = try SafeTensors.read(path: path)
        let classifier = try Classifier(tensors: file.arrays.mapValues(Tensor.init), path: path)
        classifier.dataChecksum = file.metadata[ClassifierTraining.checksumKey]
        return classifier
    }

    /// Write the weights atomically, with how they were made in the metadata.
    public func save(path: String, metadata: [String: String]) throws {
        try SafeTensors.write(byName.mapValues { StoredArray($0.value) }, metadata: metadata, to: path)
    }

    public var parameters: [Variable] { names.map { byName[$0]! } }

    func layer(_ name: String) -> (kernel: Variable, bias: Variable) {
        (byName[name + ".kernel"]!, byName[name + ".bias"]!)
    }

    /// Logits [N, classes] and features [N, 128] of images [N, S, S, C] in [0, 1].
    public func forward(_ x: Variable, tape: Tape) -> (logits: Variable, features: Variable) {
        func conv(_ h: Variable, _ name: String) -> Variable {
            let l = layer(name)
            return tape.maxPool2x2(
                tape.leakyReLU(tape.conv2d(h, l.kernel, l.bias, name: "classifier." + name), alpha: 0))
        }
        var h = conv(conv(x, "conv1"), "conv2")
        h = tape.reshape(h, [h.shape[0], h.shape.dropFirst().reduce(1, *)])
        let d1 = layer("dense1"), d2 = layer("dense2")
        let features = tape.leakyReLU(tape.dense(h, d1.kernel, d1.bias), alpha: 0)
        let logits = tape.dense(tape.dropout(features, rate: 0.3), d2.kernel, d2.bias)
        return (logits, features)
    }

    /// What the classifier makes of many images [N, 28, 28, 1] (in batches, dropout off).
    public struct Judgement {
        /// The most likely digit of each image.
        public let labels: [Int]
        /// [N, 128] penultimate-layer activations.
        public let features: Tensor
    }

    public func judge(_ images: Tensor, batchSize: Int = 500) -> Judgement {
        let n = images.shape[0]
        let features = Tensor(shape: [n, Self.featureCount], uninitialized: true)
        var labels: [Int] = []
        labels.reserveCapacity(n)
        for start in stride(from: 0, to: n, by: batchSize) {
            let rows = start..<min(n, start + batchSize)
            let out = forward(Variable(images.rows(rows)), tape: .inference())
            (features.data + start * Self.featureCount).update(
                from: out.features.value.data, count: rows.count * Self.featureCount)
            labels += Self.argmax(out.logits.value)
        }
        return Judgement(labels: labels, features: features)
    }

    /// The softmax of the logits of images [N, 28, 28, 1]: one row of probabilities per image.
    public func probabilities(_ images: Tensor) -> [[Float]] {
        let logits = forward(Variable(images), tape: .inference()).logits.value
        let c = logits.shape[1]
        return (0..<logits.shape[0]).map { r in
            let row = (0..<c).map { logits.data[r * c + $0] }
            let top = row.max()!
            let e = row.map { Foundation.exp($0 - top) }
            let sum = e.reduce(0, +)
            return e.map { $0 / sum }
        }
    }

    /// Row-wise argmax of [N, C] (the first maximum on ties).
    static func argmax(_ logits: Tensor) -> [Int] {
        let c = logits.shape[1]
        return (0..<logits.shape[0]).map { r in
            var best = 0
            for j in 1..<c where logits.data[r * c + j] > logits.data[r * c + best] { best = j }
            return best
        }
    }
}

/// A classifier file that cannot be used.
/// A classifier file that cannot be used: its path and why.
public typealias ClassifierError = FileError

/// The classifier's parameters: one group, trained by one optimiser.
public extension ParamGroup {
    static let classifier = ParamGroup(bit: 0)
}
