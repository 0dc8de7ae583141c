import ArgumentParser
import Report
import RunPictures

extension Export {
    struct Reconstructions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Test digits over their reconstructions, at one snapshot.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            let path = try PictureExport.write(Pictures.reconstructions, run: runOptions.run, period: period, out: out)
            {
                _ in RunPicture.reconstructions.file
            }
            wrote(path, runOptions)
        }
    }
}
