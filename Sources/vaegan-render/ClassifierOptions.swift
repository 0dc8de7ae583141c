import ArgumentParser
import Evaluation
import Foundation

/// Where the judge of `evaluate` is: --classifier FILE, $VAEGAN_CLASSIFIER, or the shipped
/// `Assets/classifier.safetensors` of the checkout the program was built from.
struct ClassifierOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Digit classifier weights (default: Assets/classifier.safetensors).", valueName: "file"))
    var classifier: String?

    static let assetName = "classifier.safetensors"

    /// The shipped weights: next to the build (`.build/<config>/vaegan-render` -> `Assets/`), or
    /// in the source tree this file was compiled from.
    static var shippedPath: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
                .deletingLastPathComponent().appendingPathComponent("../../Assets/" + assetName).standardized.path,
            URL(fileURLWithPath: #filePath).appendingPathComponent("../../../Assets/" + assetName).standardized.path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates.last!
    }

    var path: String {
        if let classifier { return classifier }
        if let env = ProcessInfo.processInfo.environment["VAEGAN_CLASSIFIER"], !env.isEmpty { return env }
        return Self.shippedPath
    }

    /// Whether the user named a file (so a missing one is an error, not a skipped measurement).
    var isExplicit: Bool { classifier != nil || !(ProcessInfo.processInfo.environment["VAEGAN_CLASSIFIER"] ?? "").isEmpty }

    func load() throws -> Classifier { try Classifier.load(path: path) }
}
