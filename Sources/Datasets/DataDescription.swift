/// What the data a model is made for is: its classes, by label (their names as shown and as file
/// names hold them), and its images' shape (side x side pixels of `channels` channels). A model
/// takes one-hot labels of `classes.count` and images of this shape; every part that draws, files
/// or judges its output lays it out by the same value. Built once for MNIST (`digits`) and once
/// for each of a user's own sets, then carried from the dataset to the page.
public struct DataDescription: Equatable, Sendable {
    public let classes: ClassNames
    /// The images' width and height in pixels.
    public let side: Int
    /// 1 for grey images.
    public let channels: Int

    /// MNIST's ten digits (and Fashion-MNIST's ten garments, numbered as its files number them):
    /// 28x28 grey images. The one place that says what "ten" means.
    public static let digits = DataDescription(classes: ClassNames(numbered: 10), side: Digit.side, channels: 1)

    /// The image sides a model may take: multiples of 4 (the decoder doubles a side/4 seed twice)
    /// from 16 to 64.
    public static let sides = 16...64
    /// Whether a model may take images of this side: in `sides` and a multiple of 4.
    public static func isSide(_ side: Int) -> Bool { sides.contains(side) && side % 4 == 0 }
    /// The channel counts a model may take: grey (1) or colour (3, RGB).
    public static let channelCounts: [Int] = [1, 3]
    /// The sides that `--side auto` picks from for sets larger than MNIST's.
    public static let largerSides = [32, 64]

    public init(classes: ClassNames, side: Int, channels: Int) {
        self.classes = classes
        self.side = side
        self.channels = channels
    }

    /// A set of the digits' shape whose classes are named `names`.
    public init(names: [String]) {
        self.init(classes: ClassNames(names: names), side: Self.digits.side, channels: Self.digits.channels)
    }

    /// A set of the digits' shape of `count` classes named by their labels' numbers.
    public init(numbered count: Int) { self.init(names: (0..<count).map(String.init)) }

    /// The values of one image, all channels (side x side x channels, channels last).
    public var pixels: Int { side * side * channels }
    /// Whether the images are colour (RGB).
    public var isColour: Bool { channels == 3 }
    /// The images' shape as the program's messages name it: "28x28 grey", "32x32 colour".
    public var shapeText: String { Self.shapeText(rows: side, columns: side, channels: channels) }

    /// A shape as the program's messages name it (rows x columns, grey or colour).
    public static func shapeText(rows: Int, columns: Int, channels: Int) -> String {
        "\(rows)x\(columns) " + (channels == 1 ? "grey" : "colour")
    }
    /// Whether the classes are named by their numbers (MNIST's digits): pages and films then show
    /// numbers, as they always did.
    public var isNumbered: Bool { classes.isNumbered }
    /// The classes' names where they are words, nil where they are the labels' numbers: what films,
    /// sheets, records and pages carry.
    public var shownNames: [String]? { isNumbered ? nil : classes.names }

    /// Why this cannot describe a model's data (one phrase), or nil.
    public var problem: String? {
        guard ClassNames.counts.contains(classes.count) else {
            return
                "\(classes.count) classes; a set may have \(ClassNames.counts.lowerBound) to \(ClassNames.counts.upperBound)"
        }
        if let problem = classes.names.lazy.compactMap(ClassNames.problem).first { return problem }
        guard Self.isSide(side) else {
            return "image side \(side) is not a multiple of 4 from \(Self.sides.lowerBound) to \(Self.sides.upperBound)"
        }
        guard Self.channelCounts.contains(channels) else {
            return "\(channels) channels; images are grey (1) or colour (3)"
        }
        return nil
    }
}

extension DataDescription: Codable {
    /// config.json's form: the classes' names by label, and the images' shape.
    enum CodingKeys: String, CodingKey { case classes, side, channels }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            classes: ClassNames(names: try c.decode([String].self, forKey: .classes)),
            side: try c.decode(Int.self, forKey: .side), channels: try c.decode(Int.self, forKey: .channels))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classes.names, forKey: .classes)
        try c.encode(side, forKey: .side)
        try c.encode(channels, forKey: .channels)
    }
}
