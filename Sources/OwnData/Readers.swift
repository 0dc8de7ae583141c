import AtomicIO
import Datasets
import Foundation

extension OwnDataset {
    /// A Keras `.npz`: x_train and y_train, and x_test and y_test unless the set has no test split.
    static func readNPZ(_ path: String) throws -> RawSet {
        try Entry.requireRegularFile(path)
        let archive = try ZipArchive(path: path)
        func array(_ key: String) throws -> NumPy.Array? {
            try archive.member(key + ".npy").map { try NumPy.parse($0, path: path + ":" + key) }
        }
        guard let xTrain = try array("x_train"), let yTrain = try array("y_train") else {
            throw FileError(
                path: path,
                "holds \(archive.names) but no x_train and y_train (a Keras .npz holds x_train, y_train, x_test, y_test)"
            )
        }
        let xTest = try array("x_test"), yTest = try array("y_test")
        guard (xTest == nil) == (yTest == nil) else {
            throw FileError(path: path, "holds one of x_test and y_test without the other")
        }
        let train = try images(xTrain, labels: yTrain, path: path, key: "train")
        let test = try xTest.map { try images($0, labels: yTest!, path: path, key: "test") }
        let classes = Int(max(train.labels.max() ?? 0, test?.labels.max() ?? 0)) + 1
        // A label below the largest with no training image is a class the model cannot learn.
        let trained = Set(train.labels)
        if let missing = (0..<classes).first(where: { !trained.contains(UInt8($0)) }) {
            let inTest = test?.labels.contains(UInt8(missing)) == true ? ", though y_test holds some" : ""
            throw FileError(
                path: path,
                "y_train holds no image of label \(missing) (labels 0-\(classes - 1)\(inTest)); every class needs training images"
            )
        }
        return RawSet(classes: (0..<classes).map(String.init), train: train, test: test)
    }

    /// One `.npy` per class, named by the file: N x 784 (or N x 28 x 28) bitmaps each.
    static func readNPYFolder(_ path: String) throws -> RawSet {
        // Hidden entries are skipped (as in a PNG tree); every .npy one must be a regular file.
        let files = try Entry.visibleNames(in: path).filter { $0.lowercased().hasSuffix(".npy") }
        for file in files { try Entry.requireRegularFile(try inside(path, file)) }
        guard OwnDataset.classCounts.contains(files.count) else {
            throw FileError(
                path: path,
                "holds \(files.count) .npy files, one per class; a set may have \(classCounts.lowerBound) to \(classCounts.upperBound)"
            )
        }
        var train = RawImages()
        for (label, file) in files.enumerated() {
            let filePath = try inside(path, file)
            let x = try NumPy.read(path: filePath)
            let n = x.shape.first ?? 0
            guard n > 0 else { throw FileError(path: filePath, "holds no images") }
            try add(x, to: &train, labels: Array(repeating: label, count: n), path: filePath)
        }
        return RawSet(classes: files.map { String($0.dropLast(4)) }, train: train, test: nil)
    }

    /// `PATH/<class>/*.png`, or `PATH/train/<class>/*.png` and `PATH/test/<class>/*.png`.
    static func readPNGTree(_ path: String) throws -> RawSet {
        let top = try folders(in: path)
        if Set(top) == ["test", "train"] {
            let trainPath = path + "/train", testPath = path + "/test"
            let classes = try folders(in: trainPath)
            guard try folders(in: testPath) == classes else {
                throw FileError(path: testPath, "holds other class folders than \(trainPath)")
            }
            return RawSet(
                classes: classes, train: try pngImages(trainPath, classes), test: try pngImages(testPath, classes))
        }
        return RawSet(classes: top, train: try pngImages(path, top), test: nil)
    }

    /// The class folders of `path`, by name (hidden ones left out).
    static func folders(in path: String) throws -> [String] {
        try Entry.visibleNames(in: path).filter { isFolder(path + "/" + $0) }
    }

    /// Every PNG of each class folder, decoded on every core. Every entry is told first by its
    /// metadata, without being opened: hidden ones are skipped, a folder inside a class folder is
    /// refused (a class's images lie directly in its folder), and so is anything that is not a
    /// regular file (a FIFO, a socket, a device).
    static func pngImages(_ path: String, _ classes: [String]) throws -> RawImages {
        var files: [(path: String, label: Int)] = []
        for (label, name) in classes.enumerated() {
            let folder = try inside(path, name)
            let names = try Entry.visibleNames(in: folder)
            guard !names.isEmpty else { throw FileError(path: folder, "holds no images") }
            for n in names {
                let file = try inside(folder, n)
                if Entry.kind(file) == .folder {
                    throw FileError(
                        path: file, "is a folder inside a class folder; a class's images lie directly in its folder")
                }
                try Entry.requireRegularFile(file)
                files.append((file, label))
            }
        }
        let paths = files.map(\.path)
        var decoded = [Result<SourceImage, Error>?](repeating: nil, count: files.count)
        decoded.withUnsafeMutableBufferPointer { out in
            // Each worker writes its own slot; concurrentPerform returns when all are done.
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: paths.count) { k in
                out[k] = Result { try ImageFile.read(path: paths[k]) }
            }
        }
        var images = RawImages()
        for (k, file) in files.enumerated() { images.append(try decoded[k]!.get(), label: file.label) }
        return images
    }

    /// `folder/name`, refused when it leads (by a symlink) out of `folder`.
    static func inside(_ folder: String, _ name: String) throws -> String {
        let path = folder + "/" + name
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let root = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        guard real.hasPrefix(root + "/") else { throw FileError(path: path, "leads outside \(folder)") }
        return path
    }

    /// An x array and its labels as images: N x 28 x 28, N x 784, N x H x W, N x H x W x C or
    /// N x C x H x W (C = 1, 3 or 4: colour from the first three, a fourth, alpha, left out); uint8
    /// (0-255) or floats (0-1, or whole numbers 0-255; others are refused, naming the range found).
    static func images(_ x: NumPy.Array, labels y: NumPy.Array, path: String, key: String) throws -> RawImages {
        guard y.shape.count == 1 else {
            throw FileError(path: path, "y_\(key) is not a list of labels (shape \(y.shape))")
        }
        let labels: [Int]
        switch y.elements {
        case .integers(let v): labels = v
        case .bytes(let v): labels = v.map(Int.init)
        case .floats: throw FileError(path: path, "y_\(key) holds floats; labels must be integers")
        }
        guard labels.count == x.shape.first else {
            throw FileError(
                path: path, "x_\(key) holds \(x.shape.first ?? 0) images but y_\(key) \(labels.count) labels")
        }
        guard labels.allSatisfy({ (0..<classCounts.upperBound).contains($0) }) else {
            throw FileError(path: path, "y_\(key) holds labels outside 0-\(classCounts.upperBound - 1)")
        }
        var images = RawImages()
        try add(x, to: &images, labels: labels, path: path + ":x_\(key)")
        return images
    }

    /// A float as a person reads it: "-1", "0.5", "255.5".
    static func number(_ v: Float) -> String { String(format: "%g", Double(v)) }

    /// Add the images of `x` with `labels`.
    static func add(_ x: NumPy.Array, to images: inout RawImages, labels: [Int], path: String) throws {
        let n = x.shape.first ?? 0
        var (height, width, channels, channelsFirst) = (0, 0, 1, false)
        let channelCounts = [1, 3, 4]
        switch x.shape.count {
        case 2 where x.shape[1] == Digit.pixels: (height, width) = (Digit.side, Digit.side)
        case 3: (height, width) = (x.shape[1], x.shape[2])
        case 4 where channelCounts.contains(x.shape[3]):
            (height, width, channels) = (x.shape[1], x.shape[2], x.shape[3])
        case 4 where channelCounts.contains(x.shape[1]):
            (height, width, channels, channelsFirst) = (x.shape[2], x.shape[3], x.shape[1], true)
        default:
            throw FileError(
                path: path,
                "has shape \(x.shape); images are N x 784, N x H x W, N x H x W x channels or N x channels x H x W")
        }
        guard n == labels.count, (1...ImageFile.maxSide).contains(height), (1...ImageFile.maxSide).contains(width)
        else { throw FileError(path: path, "has shape \(x.shape), which does not fit its labels") }
        let values: [Float]
        switch x.elements {
        case .bytes(let b): values = b.map(DigitSet.pixel)
        case .floats(let f):
            guard f.allSatisfy({ $0.isFinite }) else { throw FileError(path: path, "holds NaN or infinity") }
            // 0-1 as they are; whole numbers up to 255 as bytes; anything else is not a pixel.
            let low = f.min() ?? 0, top = f.max() ?? 0
            if low >= 0 && top <= 1 {
                values = f
            } else if low >= 0 && top <= 255 && f.allSatisfy({ $0 == $0.rounded() }) {
                values = f.map { $0 / 255 }
            } else {
                throw FileError(
                    path: path,
                    "holds floats from \(Self.number(low)) to \(Self.number(top)); float images run 0-1 (or 0-255 in whole numbers)"
                )
            }
        case .integers: throw FileError(path: path, "holds integers wider than a byte; images must be uint8 or float")
        }
        let size = height * width * channels, area = height * width
        for i in 0..<n {
            let image = values[(i * size)..<((i + 1) * size)]
            let at = image.startIndex
            // Channel c of pixel p, whichever way round the array holds them.
            let value = { (p: Int, c: Int) in channelsFirst ? image[at + c * area + p] : image[at + p * channels + c] }
            if channels == 1 {
                images.append(SourceImage(width: width, height: height, grey: Array(image), rgb: nil), label: labels[i])
                continue
            }
            let grey = (0..<area).map { p in
                min(1, max(0, 0.2126 * value(p, 0) + 0.7152 * value(p, 1) + 0.0722 * value(p, 2)))
            }
            var rgb = [Float](repeating: 0, count: area * 3)
            for p in 0..<area { for c in 0..<3 { rgb[3 * p + c] = value(p, c) } }
            images.append(SourceImage(width: width, height: height, grey: grey, rgb: rgb), label: labels[i])
        }
    }
}
