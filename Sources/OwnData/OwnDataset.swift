import AtomicIO
import Datasets
import Foundation

/// A labelled set of small images as users keep them, made into the program's train and test
/// splits: a Keras `.npz` (x_train, y_train, x_test, y_test), a folder of `.npy` bitmaps with one
/// file per class (Quick, Draw!'s), or a folder tree of PNG files with one folder per class
/// (torchvision's ImageFolder), optionally split as `train/` and `test/`.
///
/// The set keeps its colour where it has some and takes a side that holds its images
/// (`ImageShapeChoice`): sets of 28x28 grey images or smaller train as MNIST's digits, fitted into
/// 28x28 as MNIST's were (`DigitPreparation`) and dark-on-light ones inverted to MNIST's
/// light-on-dark; larger or colour images are fitted into a square of 32 or 64 without distortion
/// (`Letterbox`). Transparency is laid on the background that keeps the ink; a set whose images
/// come out nearly blank is refused. Where no test split is given, a seventh of each class is held
/// out by a seeded shuffle.
public struct OwnDataset: Sendable {
    /// How the files are laid out, told by what `path` holds.
    public enum Format: String, Sendable {
        case npz = "a NumPy .npz", npyFolder = "a folder of .npy files", pngTree = "a folder tree of PNG files"
    }

    /// Whether to turn dark-on-light images into MNIST's light-on-dark: `auto` looks at the borders
    /// of a grey set, and leaves colour ones as they are.
    public enum Inversion: String, CaseIterable, Sendable { case yes, no, auto }

    public let dataset: Dataset
    /// What the set is: its classes' names by label (the folder or file names, or the labels'
    /// numbers) and its images' shape.
    public let data: DataDescription
    public let format: Format
    /// How each picture was made into the set's images beyond its shape: inverted or not, and the
    /// background the set laid its transparent pictures on where it chose one
    /// (`RawSet.setBackgroundIsBlack`). Kept in config.json, so that the pages fit a picture alike.
    public let fitting: PictureFitting
    /// What was done, in one line, for the terminal.
    public let summary: String

    /// How many classes a set may have.
    public static let classCounts = ClassNames.counts
    /// The share of each class held out as the test split where the data gives none.
    public static let heldOut = 1.0 / 7

    /// The format of what `path` holds, or nil for anything else (an IDX folder, say).
    public static func format(of path: String) -> Format? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if !isDirectory.boolValue { return path.lowercased().hasSuffix(".npz") ? .npz : nil }
        let names = (try? Entry.visibleNames(in: path)) ?? []
        if names.contains(where: { $0.lowercased().hasSuffix(".npy") }) { return .npyFolder }
        let folders = names.filter { isFolder(path + "/" + $0) }
        return folders.isEmpty ? nil : .pngTree
    }

    /// Load what `path` holds; every problem is one `FileError` naming the file.
    public static func load(
        path: String, inversion: Inversion = .auto, seed: UInt64 = 0, shape: ImageShapeChoice = .auto
    ) throws -> OwnDataset {
        guard let format = format(of: path) else {
            throw FileError(
                path: path, "is not a dataset this program reads (an IDX folder, a .npz, .npy files or PNG folders)")
        }
        let raw: RawSet
        switch format {
        case .npz: raw = try readNPZ(path)
        case .npyFolder: raw = try readNPYFolder(path)
        case .pngTree: raw = try readPNGTree(path)
        }
        guard classCounts.contains(raw.classes.count) else {
            throw FileError(
                path: path,
                "holds \(raw.classes.count) classes; a set may have \(classCounts.lowerBound) to \(classCounts.upperBound)"
            )
        }
        if let problem = raw.classes.lazy.compactMap(ClassNames.problem).first {
            throw FileError(path: path, problem)
        }
        return try finish(raw, format: format, path: path, inversion: inversion, seed: seed, shape: shape)
    }

    /// `--data` as one's own images, read (`load(path:)`) where `given` names a .npz, .npy files or
    /// PNG folders; nil where it is absent or names anything else (an IDX folder, or a path whose
    /// reader then says what it lacks). A problem with the files is one line naming --data.
    public static func load(
        given: String?, inversion: Inversion = .auto, seed: UInt64 = 0, shape: ImageShapeChoice = .auto
    ) throws -> OwnDataset? {
        guard let given, !Dataset.holdsIDX(given), format(of: given) != nil else { return nil }
        do { return try load(path: given, inversion: inversion, seed: seed, shape: shape) } catch let e as FileError {
            throw FileError(path: "--data \(e.path)", problem: e.problem)
        }
    }

    /// The shape, polarity, test split and summary of a set read and checked.
    static func finish(
        _ raw: RawSet, format: Format, path: String, inversion: Inversion, seed: UInt64, shape: ImageShapeChoice
    ) throws -> OwnDataset {
        let background = raw.setBackgroundIsBlack.map { $0 ? PictureFitting.Background.black : .white }
        let raw = raw.backgroundsMatched()
        let sources = raw.train.images + (raw.test?.images ?? [])
        let colourCount = sources.lazy.filter(\.isColour).count
        let channels = (shape.colour ?? (colourCount > 0)) ? 3 : 1
        let side = shape.side ?? ImageShapeChoice.autoSide(sources.map { ($0.width, $0.height) })
        let fittedTrain = raw.train.fitted(side: side, channels: channels)
        let fittedTest = raw.test?.fitted(side: side, channels: channels)
        // Digits need ink: a set most of whose images are nearly one grey would train on nothing.
        let blank = fittedTrain.blankCount
        if blank * 2 > fittedTrain.count {
            throw FileError(
                path: path,
                "its images come out nearly blank: \(blank) of \(fittedTrain.count) have fewer than \(Int(FittedImages.minContrast * 255)) grey levels between their darkest and lightest pixels (ink of the background's colour, or lost to transparency?)"
            )
        }
        var notes = ["\(sources.count) images of \(raw.classes.count) classes"]
        // Sets that train as they always did (28x28 grey) are described as they always were.
        if side != Digit.side || channels != 1 {
            notes.append(DataDescription.shapeText(rows: side, columns: side, channels: channels))
        }
        if channels == 3 && colourCount < sources.count {
            notes.append("\(sources.count - colourCount) grey images among the colour ones")
        } else if channels == 1 && colourCount > 0 {
            notes.append("\(colourCount) colour images made grey")
        }
        let invert: Bool
        switch inversion {
        case .yes: invert = true
        case .no: invert = false
        case .auto: invert = channels == 1 && fittedTrain.borderMean > 0.5
        }
        if invert { notes.append("inverted (dark on light)") }
        let resized = fittedTrain.resized + (fittedTest?.resized ?? 0)
        if resized > 0 { notes.append("\(resized) fitted into \(side)x\(side)") }
        let test: DigitSet, train: DigitSet
        if let fittedTest {
            (train, test) = (fittedTrain.digits(inverted: invert), fittedTest.digits(inverted: invert))
        } else {
            let (t, held) = fittedTrain.split(share: heldOut, seed: seed)
            (train, test) = (t.digits(inverted: invert), held.digits(inverted: invert))
            notes.append("\(test.count) held out as the test split (seed \(seed))")
        }
        // The snapshots reconstruct test digits and the report measures on them: none is too few.
        guard test.count > 0 else {
            throw FileError(path: path, "leaves no image for the test split (each class needs two or more)")
        }
        let data = DataDescription(classes: ClassNames(names: raw.classes), side: side, channels: channels)
        return OwnDataset(
            dataset: Dataset(train: train, test: test), data: data, format: format,
            fitting: PictureFitting(inverted: invert, background: background),
            summary: "\(path): \(format.rawValue), " + notes.joined(separator: ", "))
    }

    /// The set as it reads back once kept as IDX files: each pixel rounded to a byte.
    public func quantised() -> OwnDataset {
        OwnDataset(
            dataset: Dataset(train: dataset.train.quantised(), test: dataset.test.quantised()), data: data,
            format: format, fitting: fitting, summary: summary)
    }

    static func isFolder(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }
}

/// Images as read, at their own sizes, with their labels.
struct RawImages {
    var images: [SourceImage] = []
    var labels: [UInt8] = []
    var count: Int { labels.count }

    mutating func append(_ image: SourceImage, label: Int) {
        images.append(image)
        labels.append(UInt8(label))
    }

    /// Every image fitted into `side` x `side` x `channels`.
    func fitted(side: Int, channels: Int) -> FittedImages {
        var out = FittedImages(side: side, channels: channels)
        out.pixels.reserveCapacity(count * side * side * channels)
        for (image, label) in zip(images, labels) { out.append(image, label: Int(label)) }
        return out
    }
}

/// Images fitted into the set's shape, before polarity, with their labels.
struct FittedImages {
    let side: Int, channels: Int
    var pixels: [Float] = []
    var labels: [UInt8] = []
    /// How many were resized from another size.
    var resized = 0
    var count: Int { labels.count }
    var size: Int { side * side * channels }

    init(side: Int, channels: Int) { self.side = side; self.channels = channels }

    /// Add one image, fitted if needed: into MNIST's 28x28 grey as MNIST's digits were (ink
    /// looked for light on dark: an image whose border is light is turned round for it, and
    /// back), into any other shape without distortion.
    mutating func append(_ image: SourceImage, label: Int) {
        labels.append(UInt8(label))
        let values = image.values(channels: channels)
        if image.width == side && image.height == side {
            pixels += values
            return
        }
        resized += 1
        guard side == Digit.side && channels == 1 else {
            pixels += Letterbox.fit(values, width: image.width, height: image.height, channels: channels, side: side)
            return
        }
        let (width, height) = (image.width, image.height)
        var border: [Float] = []
        for x in 0..<width { border += [values[x], values[(height - 1) * width + x]] }
        for y in 0..<height { border += [values[y * width], values[y * width + width - 1]] }
        let lightBackground = border.reduce(0, +) / Float(border.count) > 0.5
        let ink = lightBackground ? values.map { 1 - $0 } : values
        let digit =
            (try? DigitPreparation.prepare(ink: ink, width: width, height: height))
            ?? [Float](repeating: 0, count: Digit.pixels)
        pixels += lightBackground ? digit.map { 1 - $0 } : digit
    }

    func image(_ i: Int) -> ArraySlice<Float> { pixels[(i * size)..<((i + 1) * size)] }

    /// The least difference between an image's darkest and lightest values that shows a digit.
    static let minContrast: Float = 0.25

    /// How many images are nearly one grey all over (less than `minContrast` between their
    /// darkest and lightest values, over every channel).
    var blankCount: Int {
        (0..<count).filter { i in
            let p = image(i)
            return (p.max() ?? 0) - (p.min() ?? 0) < Self.minContrast
        }.count
    }

    /// The mean of the outermost pixels of up to 1,000 grey images: near 1 for dark-on-light sets.
    var borderMean: Float {
        var sum: Float = 0, n = 0
        for i in 0..<min(count, 1000) {
            let p = image(i)
            for k in 0..<side {
                for index in [k, (side - 1) * side + k, k * side, k * side + side - 1] {
                    sum += p[p.startIndex + index * channels]; n += 1
                }
            }
        }
        return n == 0 ? 0 : sum / Float(n)
    }

    func digits(inverted: Bool) -> DigitSet {
        DigitSet(
            images: inverted ? pixels.map { 1 - $0 } : pixels, labels: labels, rows: side, columns: side,
            channels: channels)
    }

    /// A seeded shuffle's first `share` of each class held out (one at least of a class of two or more).
    func split(share: Double, seed: UInt64) -> (kept: FittedImages, held: FittedImages) {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var kept = FittedImages(side: side, channels: channels), held = kept
        let byClass = Dictionary(grouping: 0..<count) { labels[$0] }
        var chosen = Set<Int>()
        for label in byClass.keys.sorted() {
            var members = byClass[label]!
            for i in stride(from: members.count - 1, to: 0, by: -1) {
                members.swapAt(i, Int(next() % UInt64(i + 1)))
            }
            // One at least from each class that has two, so that every label can be tested.
            let n = members.count < 2 ? 0 : max(1, Int((Double(members.count) * share).rounded()))
            chosen.formUnion(members.prefix(n))
        }
        for i in 0..<count {
            if chosen.contains(i) {
                held.pixels += image(i); held.labels.append(labels[i])
            } else {
                kept.pixels += image(i); kept.labels.append(labels[i])
            }
        }
        return (kept, held)
    }
}

/// What a reader found: the classes' names, the training images and, where given, the test ones.
struct RawSet {
    var classes: [String]
    var train: RawImages
    var test: RawImages?

    /// The background the set lays its transparent pictures on, which its opaque pictures show:
    /// black (true) where their borders are dark on average, else white; nil where the set has no
    /// transparent pictures, or only transparent ones (each then keeps the background that keeps
    /// its ink).
    var setBackgroundIsBlack: Bool? {
        let all = train.images + (test?.images ?? [])
        let opaque = all.filter { $0.transparency == nil }
        guard opaque.count < all.count, !opaque.isEmpty else { return nil }
        var border: Float = 0, n: Float = 0
        for image in opaque {
            let mean = Letterbox.borderMean(image.grey, width: image.width, height: image.height, channels: 1)[0]
            border += mean; n += 1
        }
        return border / n <= 0.5
    }

    /// The set with its transparent pictures laid on the set's background (`setBackgroundIsBlack`).
    /// A set of transparent pictures only keeps each on the background that keeps its ink.
    func backgroundsMatched() -> RawSet {
        guard let black = setBackgroundIsBlack else { return self }
        var matched = self
        matched.train.images = train.images.map { $0.laid(onBlack: black) }
        matched.test?.images = test?.images.map { $0.laid(onBlack: black) } ?? []
        return matched
    }
}
