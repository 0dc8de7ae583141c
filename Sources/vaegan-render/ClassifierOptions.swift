import ArgumentParser
import Evaluation
import Foundation

/// Where the judge of `evaluate` is: --classifier FILE, $VAEGAN_CLASSIFIER, or the shipped
/// `Assets/classifier.safetensors` of the checkout the program was built from.
struct ClassifierOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Digit classifier weights (default: Assets/classifier.safetensors).", valueName: "file"))
    var classifier: String?

    var path: String {
        if let classifier { return classifier }
        if let env = ProcessInfo.processInfo.environment["VAEGAN_CLASSIFIER"], !env.isEmpty { return env }
        return Classifier.shippedPath
    }

    /// Whether the user named a file (so a missing one is an error, not a skipped measurement).
    var isExplicit: Bool {
        classifier != nil || !(ProcessInfo.processInfo.environment["VAEGAN_CLASSIFIER"] ?? "").isEmpty
    }

    func load() throws -> Classifier { try Classifier.load(path: path) }
}
