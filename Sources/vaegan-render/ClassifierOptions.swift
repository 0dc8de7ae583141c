import ArgumentParser
import Console
import Evaluation
import RunModel

/// Where the judge of `evaluate` is: --classifier FILE, $VAEGAN_CLASSIFIER, or the shipped
/// `Assets/classifier.safetensors` of the checkout the program was built from.
struct ClassifierOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Digit classifier weights (default: Assets/classifier.safetensors).", valueName: "file"))
    var classifier: String?

    /// The file --classifier, $VAEGAN_CLASSIFIER or the checkout names (`RunJudge.Named`).
    var named: RunJudge.Named { RunJudge.Named(given: classifier) }

    func load() throws -> Classifier { try named.load() }

    /// The judge of `evaluate` for a run (`RunJudge`), saying which on the terminal.
    func judge(of config: RunConfig, threads: Int, quiet: Bool) throws -> Classifier {
        let line = ProgressLine(quiet: quiet, units: ("steps", "steps/s"))
        return try RunJudge(config: config).judge(
            named, threads: threads,
            telling: .init(
                say: { Terminal.info($0, quiet: quiet) },
                progress: { line.draw(done: $0.done, total: $0.total, $0.line) }, trainingDone: line.end))
    }

    /// What reads drawings in the page and the studio (`RunJudge.reader`).
    func reader(of config: RunConfig?) throws -> Classifier { try RunJudge.reader(of: config, named) }
}
