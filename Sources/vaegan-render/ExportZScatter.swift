import ArgumentParser
import Datasets
import Report
import RunPictures

extension Export {
    struct ZScatter: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "z-scatter", abstract: "Scatter of z_mean (dims 0 and 1) of test digits.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: "A label (a number, or a class's name), or 'all' for every label in its own colour.")
        var label: String = "all"
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func validate() throws { _ = try runData(runOptions).classes.labelsGiven(label, allowAll: true) }

        func run() throws {
            let data = runData(runOptions)
            let labels = try data.classes.labelsGiven(label, allowAll: true)
            let path = try PictureExport.write(
                { Pictures.zScatter($0, labels: labels, data: data) }, run: runOptions.run, period: period, out: out
            ) {
                ExportName.zScatter(
                    label: labels.count == 1 ? data.classes.fileNames[labels[0]] : "all", period: $0.period)
            }
            wrote(path, runOptions)
        }
    }
}
