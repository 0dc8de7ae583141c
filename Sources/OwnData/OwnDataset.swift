import AtomicIO
import Datasets
import Foundation

/// A labelled set of small images as users keep them, made into the program's train and test
/// splits of 28x28 digits: a Keras `.npz` (x_train, y_train, x_test, y_test), a folder of `.npy`
/// bitmaps with one file per class (Quick, Draw!'s), or a folder tree of PNG files with one folder
/// per class (torchvision's ImageFolder), optionally split as `train/` and `test/`. Images of
/// other sizes are fitted into 28x28 as MNIST's digits were (`DigitPreparation`), colour becomes
/// luminance, transparency is laid on the background that keeps the ink, and dark-on-light sets
/// are inverted to MNIST's light-on-dark; a set whose images come out nearly blank is refused. Where no test split is
/// given, a seventh of each class is held out by a seeded shuffle.
public struct OwnDataset: Sendable {
    /// How the files are laid out, told by what `path` holds.
    public enum Format: String, Sendable {
        case npz = "a NumPy .npz", npyFolder = "a folder of .npy files", pngTree = "a folder tree of PNG files"
    }

    /// Whether to turn dark-on-light images into MNIST's light-on-dark: `auto` looks at the borders.
    public enum Inversion: String, CaseIterable, Sendable { case yes, no, auto }

    public let dataset: Dataset
    /// What the set is: its classes' names by label (the folder or file names, or the labels'
    /// numbers) and its images' shape.
    public let data: DataDescription
    public let format: Format
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
    public static func load(path: String, inversion: Inversion = .auto, seed: UInt64 = 0) throws -> OwnDataset {
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
        return try finish(raw, format: format, path: path, inversion: inversion, seed: seed)
    }

    /// `--data` as one's own images, read (`load(path:)`) where `given` names a .npz, .npy files or
    /// PNG folders; nil where it is absent or names anything else (an IDX folder, or a path whose
    /// reader then says what it lacks). A problem with the files is one line naming --data.
    public static func load(given: String?, inversion: Inversion = .auto, seed: UInt64 = 0) throws -> OwnDataset? {
        guard let given, !Dataset.holdsIDX(given), format(of: given) != nil else { return nil }
        do { return try load(path: given, inversion: inversion, seed: seed) } catch let e as FileError {
            throw FileError(path: "--data \(e.path)", problem: e.problem)
        }
    }

    /// Polarity, the test split and the summary of a set read and checked.
    static func finish(_ raw: RawSet, format: Format, path: String, inversion: Inversion, seed: UInt64) throws
        -> OwnDataset
    {
        // Digits need ink: a set most of whose images are nearly one grey would train on nothing.
        let blank = raw.train.blankCount
        if blank * 2 > raw.train.count {
            throw FileError(
                path: path,
                "its images come out nearly blank: \(blank) of \(raw.train.count) have fewer than \(Int(RawImages.minContrast * 255)) grey levels between their darkest and lightest pixels (ink of the background's colour, or lost to transparency?)"
            )
        }
        var notes = ["\(raw.train.count + (raw.test?.count ?? 0)) images of \(raw.classes.count) classes"]
        let invert: Bool
        switch inversion {
        case .yes: invert = true
        case .no: invert = false
        case .auto: invert = raw.train.borderMean > 0.5
        }
        if invert { notes.append("inverted (dark on light)") }
        if raw.train.fitted + (raw.test?.fitted ?? 0) > 0 {
            notes.append("\(raw.train.fitted + (raw.test?.fitted ?? 0)) fitted into 28x28")
        }
        let test: DigitSet, train: DigitSet
        if let given = raw.test {
            (train, test) = (raw.train.digits(inverted: invert), given.digits(inverted: invert))
        } else {
            let (t, held) = raw.train.split(share: heldOut, seed: seed)
            (train, test) = (t.digits(inverted: invert), held.digits(inverted: invert))
            notes.append("\(test.count) held out as the test split (seed \(seed))")
        }
        // The snapshots reconstruct test digits and the report measures on them: none is too few.
        guard test.count > 0 else {
            throw FileError(path: path, "leaves no image for the test split (each class needs two or more)")
        }
        return OwnDataset(
            dataset: Dataset(train: train, test: test), data: DataDescription(names: raw.classes), format: format,
            summary: "\(path): \(format.rawValue), " + notes.joined(separator: ", "))
    }

    /// The set as it reads back once kept as IDX files: each pixel rounded to a byte.
    public func quantised() -> OwnDataset {
        OwnDataset(
            dataset: Dataset(train: dataset.train.quantised(), test: dataset.test.quantised()), data: data,
            format: format, summary: summary)
    }

    static func isFolder(_ path: String) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
    }
}

/// Images as read, before polarity: luminance 28x28 each (fitted where they were not), labels.
struct RawImages {
    var pixels: [Float] = []
    var labels: [UInt8] = []
    /// How many were fitted into 28x28 from another size.
    var fitted = 0
    var count: Int { labels.count }

    /// Add one image of `width` x `height` luminance values (0 = black), fitting it if needed.
    /// Fitting looks for ink, light on dark: an image whose border is light is turned round for
    /// it, and back.
    mutating func append(_ image: [Float], width: Int, height: Int, label: Int) {
        labels.append(UInt8(label))
        if width == Digit.side && height == Digit.side {
            pixels += image
            return
        }
        fitted += 1
        var border: [Float] = []
        for x in 0..<width { border += [image[x], image[(height - 1) * width + x]] }
        for y in 0..<height { border += [image[y * width], image[y * width + width - 1]] }
        let lightBackground = border.reduce(0, +) / Float(border.count) > 0.5
        let ink = lightBackground ? image.map { 1 - $0 } : image
        let digit =
            (try? DigitPreparation.prepare(ink: ink, width: width, height: height))
            ?? [Float](repeating: 0, count: Digit.pixels)
        pixels += lightBackground ? digit.map { 1 - $0 } : digit
    }

    /// The least difference between an image's darkest and lightest pixels that shows a digit.
    static let minContrast: Float = 0.25

    /// How many images are nearly one grey all over (less than `minContrast` between their
    /// darkest and lightest pixels).
    var blankCount: Int {
        (0..<count).filter { i in
            let p = pixels[(i * Digit.pixels)..<((i + 1) * Digit.pixels)]
            return (p.max() ?? 0) - (p.min() ?? 0) < Self.minContrast
        }.count
    }

    /// The mean of the outermost pixels of up to 1,000 images: near 1 for dark-on-light sets.
    var borderMean: Float {
        var sum: Float = 0, n = 0
        for i in 0..<min(count, 1000) {
            let p = pixels[(i * Digit.pixels)..<((i + 1) * Digit.pixels)]
            for k in 0..<Digit.side {
                for index in [k, (Digit.side - 1) * Digit.side + k, k * Digit.side, k * Digit.side + Digit.side - 1] {
                    sum += p[p.startIndex + index]; n += 1
                }
            }
        }
        return n == 0 ? 0 : sum / Float(n)
    }

    func digits(inverted: Bool) -> DigitSet {
        DigitSet(images: inverted ? pixels.map { 1 - $0 } : pixels, labels: labels)
    }

    /// A seeded shuffle's first `share` of each class held out (one at least of a class of two or more).
    func split(share: Double, seed: UInt64) -> (kept: RawImages, held: RawImages) {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var kept = RawImages(), held = RawImages()
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
            let image = Array(pixels[(i * Digit.pixels)..<((i + 1) * Digit.pixels)])
            if chosen.contains(i) {
                held.pixels += image; held.labels.append(labels[i])
            } else {
                kept.pixels += image; kept.labels.append(labels[i])
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
}
