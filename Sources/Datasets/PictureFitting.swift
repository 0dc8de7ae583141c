/// How a set of one's own images made each picture into the model's input, beyond its shape: what
/// `train-and-record --data` decided once for the whole set (Sources/OwnData), kept in config.json
/// as `fitting` and carried to the report page (weights.js) and the studio, so that a picture a
/// user drops there is fitted as the set's images were. MNIST and Fashion-MNIST have none, and a
/// run without one reads as `unrecorded`: nothing inverted, each transparent picture on its own
/// background.
public struct PictureFitting: Codable, Equatable, Sendable {
    /// Whether the set was turned round (each value v made 1 − v, after fitting) into MNIST's
    /// light-on-dark: `--invert yes`, or `auto` on a grey set whose borders are light.
    public var inverted: Bool
    /// The background the set laid its transparent pictures on: the one its opaque pictures show.
    /// Absent where the set did not decide one (no transparent pictures, or only transparent
    /// ones): each picture is then laid on the background that keeps its ink.
    public var background: Background?

    /// The colours a set may lay its transparent pictures on, as config.json names them.
    public enum Background: String, Codable, Sendable, CaseIterable {
        case black, white

        /// Reads the name, refusing any other in one phrase that names the field.
        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            let name = try container.decode(String.self)
            guard let background = Background(rawValue: name) else {
                let field = container.codingPath.map(\.stringValue).joined(separator: ".")
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(field) \"\(name)\" is neither \"black\" nor \"white\"")
            }
            self = background
        }
    }

    public init(inverted: Bool, background: Background? = nil) {
        self.inverted = inverted
        self.background = background
    }

    /// A run that recorded none: not inverted, each picture on its own background.
    public static let unrecorded = PictureFitting(inverted: false)

    /// The set's background as a choice of black, or nil for each picture's own.
    public var onBlack: Bool? { background.map { $0 == .black } }
}
