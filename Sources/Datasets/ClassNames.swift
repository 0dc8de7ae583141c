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

    /// What a name or number given for a class matches.
    public enum Match: Equatable, Sendable {
        case label(Int)
        /// Several classes' names in other cases than the one given: none is chosen.
        case ambiguous([Int])
        case none
    }

    /// The class `text` names, by one rule: a class's exact name first, then a class's file form,
    /// then a name in another case where only one class has it (several: `ambiguous`), then the
    /// label's number.
    public func match(_ text: String) -> Match {
        if let i = names.firstIndex(of: text) ?? fileNames.firstIndex(of: text) { return .label(i) }
        let folded = text.lowercased()
        let inAnyCase = names.indices.filter { names[$0].lowercased() == folded }
        if inAnyCase.count == 1 { return .label(inAnyCase[0]) }
        if inAnyCase.count > 1 { return .ambiguous(inAnyCase) }
        if let n = Int(text), labels.contains(n) { return .label(n) }
        return .none
    }

    /// The label a name or number stands for (`match`), or nil for anything else, an ambiguous
    /// name among them.
    public func label(of text: String) -> Int? {
        if case .label(let l) = match(text) { return l }
        return nil
    }

    /// The label a file name's class part stands for: a class's file form first (what the
    /// program's own files are named by), then as `label(of:)`.
    public func label(ofFileForm text: String) -> Int? { fileNames.firstIndex(of: text) ?? label(of: text) }

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
