import ArgumentParser
import Report
import RunPictures

extension Export {
    struct Losses: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The run's loss curves (log scale), from losses.csv.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            wrote(
                try PictureExport.write(
                    Pictures.losses, run: runOptions.run, out: out, defaultName: RunPicture.losses.file), runOptions)
        }
    }

    struct MetricsPlot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "metrics",
            abstract: "Label accuracy and sharpness of every snapshot over training, from metrics.csv.",
            discussion:
                "train-and-record measures each snapshot's manifold grids with the digit classifier (see evaluate).")
        @OptionGroup var runOptions: RunOptions
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            wrote(
                try PictureExport.write(
                    Pictures.metrics, run: runOptions.run, out: out, defaultName: RunPicture.metrics.file), runOptions)
        }
    }
}
