import AtomicIO
import Deflate
import Evaluation
import Foundation
import RunFolder
import RunModel
import Tensor

/// What the report page needs to run the model itself, written beside it: `weights.js` (the
/// encoder's and decoder's weights, and the digit classifier's when there is one, as half-precision
/// numbers in base64 with a manifest and a CRC-32 of the bytes) and `model.js` (the kernels,
/// Sources/Browser/Page/model.c compiled to WebAssembly, and the script that wires them into the networks). Both are
/// scripts, not data files, because a page opened from disk may load scripts beside it but not
/// fetch files.
public enum WebModel {
    public static let weightsFile = "weights.js"
    public static let scriptFile = "model.js"
    public static let explorerFile = "explore.js"
    public static let format = "vaegan-render web model 1"

    /// The tensors the page uses: the encoder but its z_log_var head (the page encodes to z_mean),
    /// the decoder, and the classifier's under `classifier.` where it tells the model's classes apart.
    static func tensors(_ model: LatestModel, classifier: Classifier?) -> [(name: String, tensor: Tensor)] {
        let weights = model.inference.weights
        var list = weights.names.filter {
            ($0.hasPrefix("encoder.") && !$0.hasPrefix("encoder.z_log_var")) || $0.hasPrefix("decoder.")
        }.map { ($0, weights[$0].value) }
        if let classifier, classifier.judges(model.inference.config.data) {
            list += classifier.names.map { ("classifier." + $0, classifier.byName[$0]!.value) }
        }
        return list
    }

    /// weights.js's text for `model`: the page names its classes where they are words, and shows
    /// the labels' numbers where they are numbers (MNIST's).
    public static func weightsScript(_ model: LatestModel, classifier: Classifier?, madeBy: String) -> String {
        var halves: [UInt16] = []
        var manifest: [WeightsFile.Entry] = []
        for (name, tensor) in tensors(model, classifier: classifier) {
            manifest.append(.init(name: name, shape: tensor.shape, offset: halves.count))
            halves += tensor.array.withUnsafeBufferPointer(Snapshot.halves)
        }
        let bytes = halves.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] }
        let config = model.inference.config
        let file = WeightsFile(
            format: format, latentDim: config.latentDim, classes: config.data.classes.count,
            classNames: config.data.shownNames,
            iteration: model.iteration,
            variant: config.variant.rawValue, madeBy: madeBy, tensors: manifest, count: halves.count,
            crc32: String(bytes.withUnsafeBytes { Zlib.crc32($0) }, radix: 16), data: Data(bytes).base64EncodedString())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return "// The model's weights for the report page (vaegan-render report); read by model.js.\n"
            + "window.VAEGAN_WEIGHTS = \(String(decoding: try! encoder.encode(file), as: UTF8.self));\n"
    }

    /// weights.js's object: what the weights are, where each tensor starts among the halves
    /// (float16 bits), their count and CRC-32, and the halves' bytes in base64.
    struct WeightsFile: Encodable {
        struct Entry: Encodable { let name: String, shape: [Int], offset: Int }
        let format: String, latentDim: Int, classes: Int, classNames: [String]?, iteration: Int, variant: String
        let madeBy: String
        let tensors: [Entry], count: Int, crc32: String, data: String
    }

    /// model.js's text: the WebAssembly kernels in base64, then the script.
    public static var script: String {
        "// The report page's model: Sources/Browser/Page/model.c as WebAssembly, and the networks it runs.\n"
            + "const VAEGAN_WASM = \"\(Data(PackageResources.model_wasm).base64EncodedString())\";\n"
            + String(decoding: PackageResources.model_js, as: UTF8.self)
    }

    /// explore.js's text: the explorer section's script, the studio's as well as the report's.
    public static var explorerScript: String { String(decoding: PackageResources.explore_js, as: UTF8.self) }

    /// Write the three files into `folder`: the weights, the model and the page's explorer.
    public static func write(_ model: LatestModel, classifier: Classifier?, madeBy: String, to folder: String) throws {
        let path = { (folder as NSString).appendingPathComponent($0) }
        try AtomicFile.write(
            Data(weightsScript(model, classifier: classifier, madeBy: madeBy).utf8), to: path(weightsFile))
        try AtomicFile.write(Data(script.utf8), to: path(scriptFile))
        try AtomicFile.write(Data(explorerScript.utf8), to: path(explorerFile))
    }
}
