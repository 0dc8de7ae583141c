import Foundation

/// The names of a set's classes by label, as a person reads them ("Sandal") and as a file name
/// holds them ("sandal", in `manifold_sandal.mp4`). MNIST's digits are named by their numbers, so
/// its films keep their names (`manifold_7.mp4`). A model's classes are part of what its data is
/// (`DataDescription`), which carries them from the dataset to the page.
public struct ClassNames: Equatable, Sendable {
    /// By label: what titles, row labels and pages show.
    public let names: [String]
    /// By label: the safe form of each name for file names, distinct from one another.
    public let fileNames: [String]

    public var count: Int { names.count }
    public var labels: Range<Int> { 0..<names.count }

    /// How many classes a set may have: the nets take a one-hot label of this many, and the films,
    /// sheets and pages are laid out for them.
    public static let counts = 2...64

    /// Classes named by their labels' numbers: "0", "1", ...
    public init(numbered count: Int) { self.init(names: (0..<count).map(String.init)) }

    public init(names: [String]) {
        self.names = names
        var taken = Set<String>()
        fileNames = names.enumerated().map { label, name in
            var safe = Self.safeForm(name)
            if safe.isEmpty || taken.contains(safe) {
                safe = safe.isEmpty ? "\(label)" : "\(safe)-\(label)"
            }
            taken.insert(safe)
            return safe
        }
    }

    /// Whether the classes are named by their numbers (MNIST's), not by words.
    public var isNumbered: Bool { names == (0..<count).map(String.init) }

    public subscript(label: Int) -> String { names.indices.contains(label) ? names[label] : "\(label)" }

    /// The label a name or number stands for: the name as shown (any case), its file form, or the
    /// label's number; nil for anything else.
    public func label(of text: String) -> Int? {
        if let i = fileNames.firstIndex(of: text) ?? names.firstIndex(of: text) { return i }
        if let i = names.firstIndex(where: { $0.lowercased() == text.lowercased() }) { return i }
        if let n = Int(text), labels.contains(n) { return n }
        return nil
    }

    /// The longest name a class may have (it goes into titles and file names).
    public static let maxNameLength = 64

    /// Why `name` cannot name a class, or nil: empty, too long, or holding control characters.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "a class name is empty" }
        if name.count > maxNameLength { return "class name '\(name.prefix(20))...' is longer than \(maxNameLength)" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a class name holds control characters"
        }
        return nil
    }

    /// Lower-case ASCII letters, digits and dashes: "Ankle boot" -> "ankle-boot", "T-shirt/top" ->
    /// "t-shirt-top". Runs of anything else become one dash.
    static func safeForm(_ name: String) -> String {
        var out = ""
        for c in name.lowercased().unicodeScalars {
            if c.isASCII && (("a"..."z").contains(c) || ("0"..."9").contains(c)) {
                out.unicodeScalars.append(c)
            } else if !out.isEmpty && out.last != "-" {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }
}
