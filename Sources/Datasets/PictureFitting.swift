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
    /// The background the set laid its transparent pictures on, `"black"` or `"white"`: the one its
    /// opaque pictures show. Absent where the set did not decide one (no transparent pictures, or
    /// only transparent ones): each picture is then laid on the background that keeps its ink.
    public var background: String?

    public init(inverted: Bool, background: String? = nil) {
        self.inverted = inverted
        self.background = background
    }

    /// A run that recorded none: not inverted, each picture on its own background.
    public static let unrecorded = PictureFitting(inverted: false)

    /// The backgrounds a set may record.
    public static let backgrounds = ["black", "white"]

    /// The set's background as a choice of black, or nil for each picture's own.
    public var onBlack: Bool? { background.map { $0 == "black" } }

    /// Why this cannot be a set's fitting (one phrase naming the field), or nil.
    public var problem: String? {
        if let background, !Self.backgrounds.contains(background) {
            return "fitting.background \"\(background)\" is neither \"black\" nor \"white\""
        }
        return nil
    }
}
