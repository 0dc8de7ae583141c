import Foundation

/// Which dataset: MNIST's and Fashion-MNIST's four IDX files, or the user's own set (read from
/// another format and kept as the same four files in the run folder).
public enum DatasetKind: String, CaseIterable, Codable, Sendable {
    case mnist
    case fashionMNIST = "fashion-mnist"
    case own

    /// Where set-up puts the files when `--data` is not given.
    public var defaultDirectory: String {
        switch self {
        case .mnist:
            let env = ProcessInfo.processInfo.environment
            if let dir = env["VAEGAN_MNIST_DIR"], !dir.isEmpty { return dir }
            let home = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
            return home + "/vaegan-render/mnist"
        case .fashionMNIST:
            return "/usr/share/datasets/fashion-mnist"
        case .own:
            return "data"
        }
    }
}

/// One split of a dataset: images as floats in [0, 1] (pixel/255), channels last, and labels.
public struct DigitSet: Sendable {
    public let images: [Float]  // count x rows x columns x channels, row-major, channels last
    public let labels: [UInt8]
    public let rows: Int, columns: Int
    /// 1 for grey images, 3 for colour (RGB, interleaved).
    public let channels: Int
    public var count: Int { labels.count }
    /// The values of one image, all its channels.
    public var pixelsPerImage: Int { rows * columns * channels }

    public init(
        images: [Float], labels: [UInt8], rows: Int = Digit.side, columns: Int = Digit.side, channels: Int = 1
    ) {
        precondition(images.count == labels.count * rows * columns * channels)
        self.images = images; self.labels = labels; self.rows = rows; self.columns = columns
        self.channels = channels
    }

    /// The first `n` examples (for tests and quick runs).
    public func prefix(_ n: Int) -> DigitSet {
        let k = min(n, count)
        return DigitSet(
            images: Array(images[0..<k * pixelsPerImage]), labels: Array(labels[0..<k]), rows: rows, columns: columns,
            channels: channels)
    }

    /// Indices of the examples with label `label`, in order.
    public func indices(ofLabel label: Int) -> [Int] { labels.indices.filter { Int(labels[$0]) == label } }

    public func image(_ i: Int) -> ArraySlice<Float> { images[i * pixelsPerImage..<(i + 1) * pixelsPerImage] }

    /// A pixel in [0, 1] as the byte an IDX file keeps (rounded), and back as reading one gives it.
    public static func byte(_ v: Float) -> UInt8 { UInt8((min(1, max(0, v)) * 255).rounded()) }
    public static func pixel(_ b: UInt8) -> Float { Float(b) * (1 / 255) }

    /// The set as it reads back from IDX files: each pixel rounded to a byte.
    public func quantised() -> DigitSet {
        DigitSet(
            images: images.map { Self.pixel(Self.byte($0)) }, labels: labels, rows: rows, columns: columns,
            channels: channels)
    }
}

/// The train and test splits.
public struct Dataset: Sendable {
    public let train: DigitSet
    public let test: DigitSet

    public init(train: DigitSet, test: DigitSet) { self.train = train; self.test = test }

    /// The largest label of either split, nil for an empty set: a model of fewer classes cannot
    /// take it (its one-hot row has no place for it).
    public var largestLabel: Int? { [train.labels.max(), test.labels.max()].compactMap { $0 }.max().map(Int.init) }

    /// Why a model made for `data` cannot train on this set (a label beyond its classes, or
    /// images of another shape), or nil.
    public func labelProblem(_ data: DataDescription) -> String? {
        let shape = (train.rows, train.columns, train.channels)
        if shape != (data.side, data.side, data.channels) {
            return
                "holds \(Self.shapeText(shape)) images, but the run's model takes \(data.shapeText)"
        }
        guard let label = largestLabel, label >= data.classes.count else { return nil }
        return "holds label \(label), but the run's model takes \(data.classes.count) classes"
    }

    /// "28x28 grey", "32x32 colour".
    static func shapeText(_ shape: (rows: Int, columns: Int, channels: Int)) -> String {
        DataDescription.shapeText(rows: shape.rows, columns: shape.columns, channels: shape.channels)
    }

    /// A training split smaller than one batch: the one line of `train-and-record` and
    /// `train-classifier` alike.
    public struct TooSmall: Error, CustomStringConvertible, Equatable, Sendable {
        public let batchSize: Int, trainCount: Int
        public var description: String {
            "--batch-size \(batchSize) is larger than the training set (\(trainCount))"
        }
    }

    /// Refuse batches of `batchSize` where the training split is smaller (`TooSmall`).
    public func checkBatchSize(_ batchSize: Int) throws {
        guard train.count >= batchSize else { throw TooSmall(batchSize: batchSize, trainCount: train.count) }
    }

    /// What a set of numbered classes is (an IDX folder's: its labels say how many, its images
    /// their shape); a set whose labels make no such set is refused, `name` (the folder, as the
    /// user gave it) first.
    public func numberedData(named name: String) throws -> DataDescription {
        let classes = (largestLabel ?? 0) + 1
        guard ClassNames.counts.contains(classes) else {
            let counts = ClassNames.counts
            throw DatasetError(
                path: name, "labels run to \(classes - 1); \(counts.lowerBound) to \(counts.upperBound) classes")
        }
        return DataDescription(
            classes: ClassNames(numbered: classes), side: train.rows, channels: train.channels)
    }

    public static let fileNames = (
        trainImages: "train-images-idx3-ubyte", trainLabels: "train-labels-idx1-ubyte",
        testImages: "t10k-images-idx3-ubyte", testLabels: "t10k-labels-idx1-ubyte"
    )

    /// Whether `directory` holds a dataset's IDX files (its training images, plain or gzipped).
    public static func holdsIDX(_ directory: String) -> Bool { (try? find(directory, fileNames.trainImages)) != nil }

    /// Load the four IDX files from `directory`, each plain or with a `.gz` suffix.
    public static func load(directory: String) throws -> Dataset {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw DatasetError(path: directory, "no such directory (run the set-up in README.md, or pass --data DIR)")
        }
        let n = fileNames
        let train = try split(directory, n.trainImages, n.trainLabels)
        let test = try split(directory, n.testImages, n.testLabels)
        let shape = { (s: DigitSet) in (s.rows, s.columns, s.channels) }
        guard shape(test) == shape(train) else {
            throw DatasetError(
                path: (directory as NSString).appendingPathComponent(n.testImages),
                "holds \(shapeText(shape(test))) images, but the training images are \(shapeText(shape(train)))")
        }
        return Dataset(train: train, test: test)
    }

    static func split(_ dir: String, _ imageName: String, _ labelName: String) throws -> DigitSet {
        let imagePath = try find(dir, imageName), labelPath = try find(dir, labelName)
        let images = try IDX.readImages(path: imagePath)
        let labels = try IDX.readLabels(path: labelPath)
        guard images.count == labels.count else {
            throw DatasetError(
                path: labelPath, "has \(labels.count) labels but \(imagePath) has \(images.count) images")
        }
        return DigitSet(
            images: images.pixels.map(DigitSet.pixel), labels: labels,
            rows: images.rows, columns: images.columns, channels: images.channels)
    }

    static func find(_ dir: String, _ name: String) throws -> String {
        for candidate in [name, name + ".gz"] {
            let path = (dir as NSString).appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw DatasetError(
            path: (dir as NSString).appendingPathComponent(name),
            "missing (neither \(name) nor \(name).gz is in \(dir))")
    }
}
