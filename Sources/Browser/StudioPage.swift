/// The studio's one page, from its three files in `Page/` (embedded in the program at build time):
/// studio.html with the style and the script inlined, so that nothing is fetched from anywhere but
/// the studio itself, and the two sizes the script needs written into its body's data attributes.
/// Its explorer section is the report page's (`ExplorerSection`, explore.js), with studio.js
/// giving it the server as the backend. Everything it shows comes from the API of `Routes.swift`.
public enum StudioPage {
    /// The page, for digits `digitSide` pixels square and manifold grids `gridSide` pixels square
    /// (as the API sends them).
    public static func html(digitSide: Int, gridSide: Int) -> String {
        PageFiles.studio.filled([
            "style": PageFiles.studioStyle,
            "explorerStyle": ExplorerSection.css,
            "explorer": ExplorerSection.html(
                axes: (0, 1),
                status: "The model draws here once train-and-record has written its first checkpoint.",
                manifold: false),
            "explorerScript": WebModel.explorerScript,
            "script": PageFiles.studioScript,
            "digitSide": String(digitSide),
            "gridSide": String(gridSide)
        ])
    }
}
