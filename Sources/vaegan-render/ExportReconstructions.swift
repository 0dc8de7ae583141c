import ArgumentParser
import Foundation
import Report
import RunFolder
import RunModel
import RunPictures
import Training

extension Export {
    struct Reconstructions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Test digits over their reconstructions, at one snapshot.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            try exportSnapshot(Pictures.reconstructions, run: runOptions, period: period, out: out) { _ in
                RunPicture.reconstructions.file
            }
        }
    }
}
