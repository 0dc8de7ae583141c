import ArgumentParser
import Comparison
import Console
import Foundation
import Tensor

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "A sweep's runs side by side: evaluate's measures over seeds, curves, sheets and manifolds.",
        discussion: """
            Writes DIR/compare (or --out): index.html, compare.json and compare.csv (each setting of the sweep's axes but the \
            seed, with the mean, standard deviation and count of every measure over its evaluated runs), the loss and \
            metric curves of every run overlaid, and each run's style-transfer sheet and last manifold of --label.
            """)

    @Argument(help: ArgumentHelp("The sweep folder (vaegan-render sweep).", valueName: "dir")) var folder: String
    @Option(help: ArgumentHelp("Where the page goes (default: DIR/compare).", valueName: "dir")) var out: String?
    @Option(help: "The label of the sheets and manifolds shown: a number, or a class's name.") var label = "7"
    @Option(help: ArgumentHelp("MNIST folder (default: where each run's config.json says).", valueName: "dir"))
    var data: String?
    @Flag(help: "Print compare.json to standard output too.") var json = false
    @OptionGroup var work: WorkOptions

    func run() throws {
        Threads.set(work.threads)
        let page = try ComparePage(sweepIn: folder, label: label, dataDirectory: data)
        let target = out ?? (folder as NSString).appendingPathComponent("compare")
        try page.write(to: target) { Terminal.info("compare: \($0)", quiet: work.quiet) }
        if json { FileHandle.standardOutput.write(page.comparison.json + Data("\n".utf8)) }
        let pending = page.pending
        if !pending.isEmpty {
            Terminal.info(
                "compare: \(pending.count) runs not evaluated yet, left out of the numbers: "
                    + pending.joined(separator: ", "), quiet: work.quiet)
        }
        Terminal.info(
            "compare: open \((target as NSString).appendingPathComponent(ComparePage.fileName))", quiet: work.quiet)
    }
}
