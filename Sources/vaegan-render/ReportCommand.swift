import ArgumentParser
import Console
import Foundation
import Report
import Tensor
import Training

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one HTML page for the whole run: films side by side, sheets, curves and numbers.",
        discussion: """
            Writes a self-contained folder (default: <run>/report/): index.html and the films and pictures it \
            shows. Whatever is missing or older than what it is drawn from (the recording, the checkpoint, the \
            logs) is rendered again; the rest is reused. The page loads nothing from the network: open \
            index.html from disk or send the folder. It shows evaluate's numbers when the run has been \
            evaluated; --evaluate evaluates it first.
            """)

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var classifierOptions: ClassifierOptions
    @Option(help: ArgumentHelp("Folder for the report (default: <run>/report).", valueName: "dir"))
    var out: String?
    @Flag(help: "Evaluate the latest checkpoint first (about half a minute).")
    var evaluate = false
    @Flag(
        help:
            "Write a page for the shipped article model instead of a run, into --out: its sheets, a walk film and the model running in the page."
    )
    var article = false

    func validate() throws {
        guard article else { return }
        if out == nil { throw ValidationError("--article needs --out DIR, the folder for the page") }
        if runOptions.runFlag != nil || evaluate {
            throw ValidationError("--article draws the shipped model; give no --run or --evaluate")
        }
    }

    func run() throws {
        Threads.set(runOptions.threads)
        if article, let out {
            try ArticlePage.write(
                to: out, dataDirectory: dataOptions.directory(for: .mnist), classifier: try? classifierOptions.load(),
                program: ProgramVersion.description
            ) { Terminal.info("wrote \($0)", quiet: runOptions.quiet) }
            Terminal.info(
                "wrote \((out as NSString).appendingPathComponent(ReportPage.fileName))", quiet: runOptions.quiet)
            return
        }
        let quiet = runOptions.quiet
        let (page, made) = try ReportBuilder.report(
            run: runOptions.run, folder: out, dataDirectory: dataOptions.data, threads: runOptions.threads,
            program: ProgramVersion.description,
            judge: evaluate ? { try classifierOptions.judge(of: $0, threads: runOptions.threads, quiet: quiet) } : nil,
            // The page reads drawings with a classifier of the run's classes only (MNIST's cannot name a sandal).
            reader: { try? classifierOptions.reader(of: $0) }
        ) { Terminal.info($0, quiet: quiet) }
        Terminal.info(
            "wrote \(page) (\(made) file\(made == 1 ? "" : "s") rendered, the rest up to date)", quiet: runOptions.quiet
        )
    }
}
