import AtomicIO
import Browser
import Datasets
import Deflate
import Evaluation
import Foundation
import RunFolder
import RunModel
import Tensor

/// The export of a model for the page that runs it (`WebModel`'s files), beside the report that
/// writes it: weights.js from the model's weights, with model.js and explore.js as Browser embeds
/// them.
extension WebModel {
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
    /// the labels' numbers where they are numbers (MNIST's). The images' side and channels are
    /// written only where they are not MNIST's 28x28 grey, which model.js takes when they are
    /// absent: a grey 28x28 run's weights.js keeps its bytes, and older weights.js still read. So
    /// is `fitting` (how one's own set fitted its pictures, config.json's), written only where the
    /// run recorded one.
    public static func weightsScript(
        _ model: LatestModel, classifier: Classifier?, madeBy: String, fitting: PictureFitting? = nil
    ) -> String {
        var halves: [UInt16] = []
        var manifest: [WeightsFile.Entry] = []
        for (name, tensor) in tensors(model, classifier: classifier) {
            manifest.append(.init(name: name, shape: tensor.shape, offset: halves.count))
            halves += tensor.array.withUnsafeBufferPointer(Snapshot.halves)
        }
        let bytes = halves.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] }
        let config = model.inference.config, data = config.data
        let mnistShape = data.side == DataDescription.digits.side && data.channels == DataDescription.digits.channels
        let file = WeightsFile(
            format: format, latentDim: config.latentDim, classes: data.classes.count,
            classNames: data.shownNames, side: mnistShape ? nil : data.side,
            channels: mnistShape ? nil : data.channels, fitting: fitting, iteration: model.iteration,
            variant: config.variant.rawValue, madeBy: madeBy, tensors: manifest, count: halves.count,
            crc32: String(bytes.withUnsafeBytes { Zlib.crc32($0) }, radix: 16), data: Data(bytes).base64EncodedString())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return weightsScriptPrefix + String(decoding: try! encoder.encode(file), as: UTF8.self) + ";\n"
    }

    /// What weights.js says before its object: a line of comment, and the global model.js reads.
    public static let weightsScriptPrefix =
        "// The model's weights for the report page (vaegan-render report); read by model.js.\n"
        + "window.VAEGAN_WEIGHTS = "

    /// weights.js's object: what the weights are, where each tensor starts among the halves
    /// (float16 bits), their count and CRC-32, and the halves' bytes in base64. `side` and
    /// `channels` (the images' shape) are nil, and left out, for MNIST's 28 and 1; `fitting`
    /// (inverted, the set's background) is left out where the run recorded none.
    public struct WeightsFile: Codable, Equatable {
        public struct Entry: Codable, Equatable { public let name: String, shape: [Int], offset: Int }
        public let format: String, latentDim: Int, classes: Int, classNames: [String]?
        public let side: Int?, channels: Int?
        public let fitting: PictureFitting?
        public let iteration: Int
        public let variant: String, madeBy: String
        public let tensors: [Entry], count: Int, crc32: String, data: String
    }

    /// Write the three files into `folder`: the weights, the model and the page's explorer.
    public static func write(
        _ model: LatestModel, classifier: Classifier?, madeBy: String, fitting: PictureFitting? = nil,
        to folder: String
    ) throws {
        let path = { (folder as NSString).appendingPathComponent($0) }
        try AtomicFile.write(
            Data(weightsScript(model, classifier: classifier, madeBy: madeBy, fitting: fitting).utf8),
            to: path(weightsFile))
        try AtomicFile.write(Data(script.utf8), to: path(scriptFile))
        try AtomicFile.write(Data(explorerScript.utf8), to: path(explorerFile))
    }
}
