import Datasets
import Foundation

/// The files beside a report page that run the model in it: `weights.js` (the encoder's and
/// decoder's weights, and the digit classifier's when there is one, as half-precision numbers in
/// base64 with a manifest and a CRC-32 of the bytes), `model.js` (the kernels, Page/model.c
/// compiled to WebAssembly, and the script that wires them into the networks) and `explore.js`
/// (the explorer). All are scripts, not data files, because a page opened from disk may load
/// scripts beside it but not fetch files. The browser's side is here: the files' names, the format
/// model.js reads, the two embedded scripts; the weights are exported by the report, which writes
/// them (`WebModel.write` in Report).
public enum WebModel {
    public static let weightsFile = "weights.js"
    public static let scriptFile = "model.js"
    public static let explorerFile = "explore.js"
    /// The three, in the order the page loads them.
    public static let files = [weightsFile, scriptFile, explorerFile]
    /// weights.js's format, the one model.js reads.
    public static let format = "vaegan-render web model 1"

    /// model.js's text: the WebAssembly kernels in base64, then the script.
    public static var script: String {
        "// The report page's model: Sources/Browser/Page/model.c as WebAssembly, and the networks it runs.\n"
            + "const VAEGAN_WASM = \"\(Data(PackageResources.model_wasm).base64EncodedString())\";\n"
            + String(decoding: PackageResources.model_js, as: UTF8.self)
    }

    /// explore.js's text: the explorer section's script, the studio's as well as the report's,
    /// after the table by which both pages show grey images (`GreyMap.greys`, as the films do).
    public static var explorerScript: String {
        "// How a grey image is shown: the luminance byte of each ink byte, matplotlib's 'Greys' (GreyMap).\n"
            + "const VAEGAN_GREYS = [\(GreyMap.greys.table.map(String.init).joined(separator: ","))];\n"
            + String(decoding: PackageResources.explore_js, as: UTF8.self)
    }
}
