/// A page's skeleton, one of the `.html` files in `Page/`: its text with `{{name}}` placeholders,
/// and `{{#name}}...{{/name}}` sections that a page keeps or drops.
public struct PageTemplate: Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    /// The page: each section of `sections` kept (true) or dropped, then every placeholder replaced
    /// by its value, in one pass over the template, so that a value (a run's name, a caption) is
    /// never itself read for placeholders. A placeholder without a value or a section the template
    /// lacks is a mistake in the program, and stops it.
    public func filled(_ values: [String: String], sections: [String: Bool] = [:]) -> String {
        var page = text
        for (name, keep) in sections {
            guard let open = page.range(of: "{{#" + name + "}}"),
                let close = page.range(of: "{{/" + name + "}}", range: open.upperBound..<page.endIndex)
            else { preconditionFailure("the template has no section \(name)") }
            page.replaceSubrange(
                open.lowerBound..<close.upperBound, with: keep ? page[open.upperBound..<close.lowerBound] : "")
        }
        var out = ""
        var rest = page[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else {
                preconditionFailure("an unclosed placeholder in the template")
            }
            let name = String(rest[open.upperBound..<close.lowerBound])
            guard let value = values[name] else { preconditionFailure("no value for the template's {{\(name)}}") }
            out += rest[..<open.lowerBound]
            out += value
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}

/// The pages' files in `Page/`, embedded in the program at build time: their skeletons, and the
/// styles and scripts that the pages inline. The Swift of each page (`ReportPage`, `ComparePage`,
/// `StudioPage`) writes its markup and fills these in.
public enum PageFiles {
    /// report.html: a run's report page (and the article model's), the films' control and the
    /// page's model as sections. Its last script runs after the model's three, loaded or not: a
    /// page copied away from its folder says so.
    public static let report = PageTemplate(text(PackageResources.report_html))
    /// report.css: the report's style, readable from 600 px (two films a row) to 1280 px and wider
    /// (five a row); the comparison page's too.
    public static let reportStyle = inline(PackageResources.report_css)
    /// report.js: the manifold films' shared control. The slider pauses the films and shows
    /// snapshot k in each (the middle of frame k); the button plays or pauses them together, from
    /// one time. The page defines `snapshotIterations` and `fps` before it.
    public static let reportScript = inline(PackageResources.report_js)
    /// compare.html: the page of `vaegan-render compare`, in the report's style.
    public static let compare = PageTemplate(text(PackageResources.compare_html))
    /// studio.html, with studio.css and studio.js, inlined in it whole.
    static let studio = PageTemplate(text(PackageResources.studio_html))
    static let studioStyle = text(PackageResources.studio_css)
    static let studioScript = text(PackageResources.studio_js)
    /// explore.css: the explorer section's style, in the report's page and the studio's.
    static let explorerStyle = inline(PackageResources.explore_css)

    /// A file's text.
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// A file's text without its last line break: a style or script that a template places
    /// before its closing tag on the same line.
    static func inline(_ bytes: [UInt8]) -> String {
        let text = text(bytes)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
