import Foundation

/// Any JSON value, for inputs whose shape is checked by hand, key by key, so that each fault gets
/// its own message (a safetensors header, a studio request, the anchor's figures): a typed tree
/// where `JSONSerialization` would hand over `Any`. Numbers are doubles; NaN and Infinity are not
/// JSON and do not parse.
public enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value `data` holds, or nil when it is not JSON.
    public static func parse(_ data: Data) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: data) }

    public var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// A number (never a boolean).
    public var number: Double? { if case .number(let n) = self { n } else { nil } }
    /// A number that is a whole one within Int's range.
    public var integer: Int? { number.flatMap { Int(exactly: $0) } }
    public var isNull: Bool { self == .null }

    /// The value under `key` of an object (nil for anything else).
    public subscript(key: String) -> JSONValue? { object?[key] }
}
