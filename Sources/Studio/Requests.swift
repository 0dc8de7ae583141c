import Datasets
import Foundation
import RunFolder

/// The studio's API inputs, checked before anything is computed. Each problem is one sentence
/// that the client gets as `{"error": "..."}` with status 400 (413 for a body over the limit). The
/// limits are public for the test that holds docs/STUDIO.md to them.
public enum Requests {
    /// The most a request body may hold: the page sends its drawing at 140x140 pixels, about 26 KB in base64.
    public static let bodyLimit = 64 * 1024
    /// A drawing's side may be 28 to 512 pixels.
    public static let drawingSides = 28...512
    /// A picture's side (POST /api/restyle-image): a model's, a multiple of 4 from 16 to 64, so
    /// that one picture is at most 64 x 64 x 3 bytes (16 KB in base64).
    public static let pictureSides = DataDescription.sides
    /// Latent coordinates beyond this are far outside anything the prior ever draws.
    public static let latentBound: Float = 10

    struct Invalid: Error, CustomStringConvertible, Equatable { let description: String }

    /// A JSON object, or why the body is not one.
    static func object(_ body: Data) throws -> [String: JSONValue] {
        guard !body.isEmpty else { throw Invalid(description: "the request has no body; send a JSON object") }
        guard let object = JSONValue.parse(body)?.object else {
            // NaN and Infinity are what a page's JSON.stringify never writes but a script may:
            // say so, rather than that the object is not one.
            let text = String(decoding: body.prefix(65_536), as: UTF8.self)
            if text.range(of: #"(?<![A-Za-z"])-?(NaN|Infinity)(?![A-Za-z"])"#, options: .regularExpression) != nil {
                throw Invalid(description: "the body holds NaN or Infinity, which are not JSON numbers")
            }
            throw Invalid(description: "the body is not a JSON object")
        }
        return object
    }

    /// A finite JSON number (not a boolean, a string or null).
    static func number(_ value: JSONValue?) -> Double? { value?.number.flatMap { $0.isFinite ? $0 : nil } }

    /// `{"z": [latentDim numbers]}` for POST /api/decode.
    static func latent(_ body: Data, dimension: Int) throws -> [Float] {
        let o = try object(body)
        guard let list = o["z"]?.array else {
            throw Invalid(description: "'z' must be a list of \(dimension) numbers")
        }
        guard list.count == dimension else {
            throw Invalid(description: "'z' holds \(list.count) numbers; this run's latent space has \(dimension)")
        }
        return try list.enumerated().map { k, v in
            guard let x = number(v) else { throw Invalid(description: "z[\(k)] is not a finite number") }
            guard abs(x) <= Double(latentBound) else {
                throw Invalid(description: "z[\(k)] = \(x) is outside ±\(Int(latentBound))")
            }
            return Float(x)
        }
    }

    /// A label 0-63 (the model checks it against its classes), or nil when absent or null ("guess it").
    static func label(_ value: JSONValue?) throws -> Int? {
        guard let value, !value.isNull else { return nil }
        let last = ClassNames.counts.upperBound - 1
        guard let n = number(value).flatMap({ Int(exactly: $0) }), (0...last).contains(n) else {
            throw Invalid(description: "'label' must be a label 0-\(last) (or null to let the classifier guess)")
        }
        return n
    }

    /// Refuses a label the run's model does not have (it has `classes`); nil ("guess it") passes.
    static func check(label: Int?, classes: Int) throws {
        if let label, label >= classes {
            throw Invalid(
                description:
                    "'label' must be a label 0-\(classes - 1) of this run's model (or null to let the classifier guess)"
            )
        }
    }

    /// `{"width": W, "height": H, "ink": base64 of W*H bytes (0 = paper, 255 = ink), "label": 0-63 or null}`
    /// for POST /api/restyle.
    static func drawing(_ body: Data) throws -> (ink: [Float], width: Int, height: Int, label: Int?) {
        let o = try object(body)
        // Int(exactly:) is nil for a fraction or a number beyond Int's range (Int(1e300) would trap).
        guard let w = number(o["width"]).flatMap({ Int(exactly: $0) }),
            let h = number(o["height"]).flatMap({ Int(exactly: $0) }),
            drawingSides.contains(w), drawingSides.contains(h)
        else {
            throw Invalid(
                description:
                    "'width' and 'height' must be whole numbers of pixels from \(drawingSides.lowerBound) to \(drawingSides.upperBound)"
            )
        }
        guard let text = o["ink"]?.string, let bytes = Data(base64Encoded: text) else {
            throw Invalid(description: "'ink' must be base64 of width x height bytes")
        }
        guard bytes.count == w * h else {
            throw Invalid(description: "'ink' holds \(bytes.count) bytes; a \(w)x\(h) drawing has \(w * h)")
        }
        return (bytes.map { Float($0) / 255 }, w, h, try label(o["label"]))
    }

    /// `{"side": S, "channels": 1 or 3, "image": base64 of S*S*channels bytes (channels last, 0 =
    /// black), "label": 0-63 or null}` for POST /api/restyle-image: a picture the page has already
    /// fitted into the model's square as the model's set was fitted (explore.js's fitPicture). Its
    /// values are bytes, so none can be other than a finite number in [0, 1].
    static func picture(_ body: Data) throws -> (image: [Float], side: Int, channels: Int, label: Int?) {
        let o = try object(body)
        guard let side = number(o["side"]).flatMap({ Int(exactly: $0) }), DataDescription.isSide(side)
        else {
            throw Invalid(
                description:
                    "'side' must be a whole number of pixels, a multiple of 4 from \(pictureSides.lowerBound) to \(pictureSides.upperBound)"
            )
        }
        guard let channels = number(o["channels"]).flatMap({ Int(exactly: $0) }),
            DataDescription.channelCounts.contains(channels)
        else { throw Invalid(description: "'channels' must be 1 (grey) or 3 (colour)") }
        let expected = side * side * channels
        // The body limit bounds the text; a string longer than the image's base64 is refused unread.
        guard let text = o["image"]?.string, text.utf8.count <= (expected + 2) / 3 * 4 + 4,
            let bytes = Data(base64Encoded: text)
        else {
            throw Invalid(description: "'image' must be base64 of side x side x channels bytes (\(expected) here)")
        }
        guard bytes.count == expected else {
            throw Invalid(
                description:
                    "'image' holds \(bytes.count) bytes; a \(DataDescription.shapeText(rows: side, columns: side, channels: channels)) image has \(expected)"
            )
        }
        return (bytes.map { Float($0) / 255 }, side, channels, try label(o["label"]))
    }
}
