import Datasets
import VAEGAN

/// The studio's one page, from its three files in `Page/` (embedded in the program at build time):
/// studio.html with the style and the script inlined, so that nothing is fetched from anywhere but
/// the studio itself, and the two sizes the script needs written into its body's data attributes.
/// Its explorer section is the report page's (`ExplorerSection`, explore.js), with studio.js
/// giving it the server as the backend. Everything it shows comes from the API of `Routes.swift`.
public enum StudioPage {
    /// A manifold grid's side in pixels, as the API sends it.
    public static let gridSide = Inference.gridCells * Digit.side

    public static let html: String = {
        func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        return text(PackageResources.studio_html)
            .replacingPlaceholder("style", with: text(PackageResources.studio_css))
            .replacingPlaceholder("explorerStyle", with: ExplorerSection.css)
            .replacingPlaceholder(
                "explorer",
                with: ExplorerSection.html(
                    axes: (0, 1),
                    status: "The model draws here once train-and-record has written its first checkpoint.",
                    manifold: false)
            )
            .replacingPlaceholder("explorerScript", with: WebModel.explorerScript)
            .replacingPlaceholder("script", with: text(PackageResources.studio_js))
            .replacingPlaceholder("digitSide", with: String(Digit.side))
            .replacingPlaceholder("gridSide", with: String(gridSide))
    }()
}

extension String {
    /// Every `{{name}}` replaced by `value`.
    fileprivate func replacingPlaceholder(_ name: String, with value: String) -> String {
        replacingOccurrences(of: "{{" + name + "}}", with: value)
    }
}
