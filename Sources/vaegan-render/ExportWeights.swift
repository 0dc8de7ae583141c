import ArgumentParser
import Console
import RunFolder
import RunModel

extension Export {
    /// `export weights`: a run's weights as the file the program ships as its article model.
    struct Weights: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep the weights of a run's checkpoint, without optimiser state, as a weights file.",
            discussion: """
                The file is what Assets/\(ArticleModel.fileName) is: the model that serve, export style-transfer \
                and evaluate draw with when there is no run, with its iteration, variant, latent size and what \
                trained it in the metadata. --checkpoint takes the weights the run kept at that iteration \
                instead of its latest. Made so from the figure run:

                  vaegan-render export weights --run runs/figure-seed2 --out Assets/\(ArticleModel.fileName)
                """)
        @OptionGroup var runOptions: RunOptions
        @OptionGroup var checkpoint: CheckpointOption
        @Option(help: ArgumentHelp("Output weights file.", valueName: "file.safetensors")) var out: String
        @Option(
            name: .customLong("picked-by"),
            help: ArgumentHelp(
                "How these weights were chosen among others (a rule, in words), kept in the file's made_by with the "
                    + "run's folder name.", valueName: "text"))
        var pickedBy: String?

        func validate() throws {
            guard out.hasSuffix(".safetensors") else {
                throw ValidationError("--out \(out): write a .safetensors file")
            }
            if let pickedBy, pickedBy.isEmpty || pickedBy.count > 500 || pickedBy.contains(where: \.isNewline) {
                throw ValidationError("--picked-by must be one line of 1 to 500 characters")
            }
        }

        func run() throws {
            let written = try ArticleModel.write(
                run: RunDirectory(runOptions.run), checkpoint: checkpoint.iteration, pickedBy: pickedBy, to: out)
            Terminal.info(
                "wrote \(out): \(written.tensors) tensors, iteration \(written.iteration)", quiet: runOptions.quiet)
        }
    }
}
