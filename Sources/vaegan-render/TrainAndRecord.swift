import ArgumentParser
import Datasets
import OwnData
import RunFolder
import Tensor
import Training
import VAEGAN

struct TrainAndRecord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-and-record",
        abstract: "Train the model, snapshotting decoder outputs on the notebook's saved-periods schedule.",
        discussion: """
            Writes into the run directory: config.json, recording.vgr (one snapshot per saved period), \
            losses.csv (one row per iteration), metrics.csv (per snapshot) and checkpoint.safetensors \
            (every --checkpoint-every iterations, at the end and on Ctrl-C). --resume continues a stopped \
            run exactly where its checkpoint left it, on the run's own thread count, variant and precision \
            unless --threads says otherwise; the result is bit-identical to an unbroken run with the same \
            seed, thread count and precision.

            Variants: \(LossVariant.allCases.map { "'\($0.rawValue)' trains \($0.summary)." }.joined(separator: " "))

            Snapshots: \(SnapshotSchedule.rule).

            Presets, by variant (iterations, snapshot spacing, snapshots):
            \(Preset.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n"))
            """)

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var classifierOptions: ClassifierOptions
    @Option(help: "default, figure-run, gif-run, schedule or notebook (see above).")
    var preset: Preset = .standard
    @Option(
        help: ArgumentHelp(
            "figures (the article's figures), published (its sibling notebook) or printed (the article's code). "
                + "Default: figures; a resumed run keeps its own."))
    var variant: LossVariant?
    @Option(
        parsing: .unconditional, help: "Outer iterations in all (overrides the preset; with --resume, extends the run)."
    )
    var iterations: Int?
    @Option(
        name: .customLong("snapshot-every"), parsing: .unconditional,
        help: "Iterations per snapshot period (overrides the preset).")
    var snapshotEvery: Int?
    @Option(
        name: .customLong("latent-dim"), parsing: .unconditional,
        help: "Size of the latent space (at least 2, for the manifold).")
    var latentDim: Int = ModelConfig.defaultLatentDim
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Examples per batch.")
    var batchSize: Int = RunDefaults.batchSize
    @Option(help: "Seed of every random draw (weights, data order, noise, dropout).")
    var seed: UInt64 = RunDefaults.seed
    @Option(help: "mnist or fashion-mnist.")
    var dataset: DatasetKind = .mnist
    @Option(help: "cvae-gan (the notebook) or cvae (the plain conditional VAE baseline).")
    var model: ModelKind = ModelConfig.defaultKind
    @Flag(
        name: .customLong("train-l"),
        help: "Also train the discriminator's l layer on L_dis_llike (the notebook never updates it).")
    var trainL = false
    @Option(name: .customLong("checkpoint-every"), parsing: .unconditional, help: "Iterations between checkpoints.")
    var checkpointEvery: Int = RunDefaults.checkpointEvery
    @Option(
        name: .customLong("keep-checkpoints"), parsing: .unconditional,
        help: ArgumentHelp(
            "Keep the weights (no optimiser state) of the run's last K checkpoints, one every --checkpoint-every "
                + "iterations and the last, as checkpoints/iteration-NNNNNN.safetensors, for evaluate, export and "
                + "serve --checkpoint; older ones are removed as the run goes. Changes nothing else the run writes, "
                + "so it may be added, changed or stopped (0) with --resume. Default: none; a resumed run keeps its own.",
            valueName: "K"))
    var keepCheckpoints: Int?
    @Option(
        help: ArgumentHelp(
            "fp32, or bf16 (bfloat16 operands, float32 sums) on a CPU with AVX512_BF16. "
                + "Default: fp32; a resumed run keeps its own."))
    var precision: Precision?
    @Option(
        name: .customLong("dropout-masks"),
        help: ArgumentHelp(
            "shared (the applications of a network in one step drop the same units, as tf_keras under a graph "
                + "seed; carries more of a digit's style, BENCHMARKS.md) or independent (each application draws its "
                + "own masks: the notebook as it ran, and the default before). Default: shared; a resumed run keeps "
                + "its own (one recorded without the setting trained independent)."))
    var dropoutMasks: DropoutMasks?
    @Flag(
        name: .customLong("record-decoders"),
        help: ArgumentHelp(
            "Keep the decoder's weights in 16 bits with every snapshot (0.69 MB each), so that render --axes can "
                + "redraw the films over any two latent dimensions. A resumed run keeps its own choice."))
    var recordDecoders = false
    @Option(
        help: ArgumentHelp(
            "With --data naming your own images: turn dark-on-light images into MNIST's light-on-dark (yes, no, or "
                + "auto: when their borders are light)."))
    var invert: OwnDataset.Inversion = .auto
    @Option(
        help: ArgumentHelp(
            "With --data naming your own images: the side they are fitted into, a multiple of 4 from 16 to 64, or "
                + "auto: 28 for sets of 28x28 or smaller, else 32 or 64, whichever holds the typical image. A resumed "
                + "run keeps its own.", valueName: "n|auto"))
    var side: ImageShapeChoice.Side = .auto
    @Option(
        help: ArgumentHelp(
            "With --data naming your own images: keep their colour (yes), make them grey (no), or auto: colour "
                + "where any image has some. A resumed run keeps its own."))
    var colour: ImageShapeChoice.Colour = .auto
    @Flag(help: "Continue the run in --run from its last checkpoint.")
    var resume = false
    @Flag(
        name: .customLong("keep-intact-snapshots"),
        help: ArgumentHelp(
            "With --resume over a damaged recording: keep every intact snapshot, drop only the damaged records "
                + "(said first, with their periods) and go on; the films then skip those periods. The file as it was "
                + "is kept as recording.vgr.damaged until you remove it. Without it such a resume is refused."))
    var keepIntactSnapshots = false

    func validate() throws {
        if keepIntactSnapshots && !resume { throw ValidationError("--keep-intact-snapshots goes with --resume") }
        if case .side(let n) = side, let problem = ImageShapeChoice.sideProblem(n) {
            throw ValidationError("--side \(problem)")
        }
        if let n = iterations, n < 1 { throw ValidationError("--iterations must be a positive number, got \(n)") }
        try checkRange(latentDim, ModelConfig.latentDims, "--latent-dim", why: " (the manifold varies z[0] and z[1])")
        try checkRange(batchSize, RunLimits.batchSize, "--batch-size")
        if let n = snapshotEvery { try checkRange(n, RunLimits.iterationsPerPeriod, "--snapshot-every") }
        if let k = keepCheckpoints { try checkRange(k, RunLimits.keptCheckpoints, "--keep-checkpoints") }
        guard checkpointEvery >= 1 else {
            throw ValidationError("--checkpoint-every must be positive, got \(checkpointEvery)")
        }
    }
}
