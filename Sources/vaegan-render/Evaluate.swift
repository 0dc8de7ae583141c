import ArgumentParser
import Console
import Datasets
import Evaluation
import Tensor

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure what a run's latest checkpoint achieved, judged by the digit classifier.",
        discussion: Measure.glossary + "\n" + """

            Every random draw comes from --seed: the numbers are reproducible. The result is also kept \
            in the run as evaluation.json, which `report` shows. With --checkpoint, evaluates the weights \
            the run kept at that iteration (and keeps nothing). Without --run, and with no run in \
            vaegan-run, evaluates the shipped article model (and keeps nothing).

            With --sheet, measures a picture of a style-transfer sheet instead (the article's figure, \
            export style-transfer's own, or any PNG of digits in a grid): its carry of ink, width and \
            slant, by the same code. The grid is found inside the picture, past a sheet's title and row \
            names (the line says where), or given with --crop; a picture in which none is found is refused.
            """)

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var classifierOptions: ClassifierOptions
    @OptionGroup var checkpoint: CheckpointOption
    @Flag(help: "Print one JSON object instead of a table.") var json = false
    @Option(help: "Random-z digits drawn per label.") var samples: Int = 1_000
    @Option(help: "Seed of the random z.") var seed: UInt64 = 0
    @Option(
        name: .customLong("test-digits"),
        help: "Use only the first N test digits (reconstruction, style sources, real reference); default: all.")
    var testDigits: Int?
    @Option(
        help: ArgumentHelp(
            SheetInputs.help + " The one sheet whose carry is reported (MNIST default: article).",
            valueName: "indices"))
    var inputs: String?
    @Option(
        help: ArgumentHelp("Measure this picture of a style-transfer sheet instead of a model.", valueName: "file.png"))
    var sheet: String?
    @Option(help: ArgumentHelp("With --sheet: its rows x columns of digits.", valueName: "RxC")) var grid = "10x10"
    @Option(name: .customLong("input-row"), help: "With --sheet: the row (from 0) that holds the input digits.")
    var inputRow = 7
    @Option(
        help: ArgumentHelp(
            "With --sheet: the grid's box in the picture's pixels (x1, y1 past its last), where it is not found "
                + "inside the picture by itself.", valueName: "x0,y0,x1,y1"))
    var crop: String?
    @Option(
        name: .customLong("grey-map"),
        help: ArgumentHelp(
            "With --sheet: how its greys show ink, taken back off a dark-on-light picture: greys (matplotlib's "
                + "'Greys', as the notebook's figures and this program's pictures are drawn) or linear (a straight "
                + "ramp, as this program drew before 2026-12-07). Default: greys."))
    var greyMap: GreyMap?

    func validate() throws {
        try checkRange(samples, 2...10_000, "--samples")
        if let n = testDigits, n < 100 { throw ValidationError("--test-digits must be at least 100, got \(n)") }
        if let inputs { _ = try SheetInputs.parse(inputs) }
        let (rows, _) = try gridSize()
        try checkRange(inputRow, 0...(rows - 1), "--input-row", why: " (a row of --grid \(grid))")
        _ = try cropBox()
        if crop != nil && sheet == nil { throw ValidationError("--crop goes with --sheet") }
        if greyMap != nil && sheet == nil { throw ValidationError("--grey-map goes with --sheet") }
    }

    /// --crop as four whole numbers (nil without it; `SheetMeasure.crop`).
    func cropBox() throws -> [Int]? { try crop.map(SheetMeasure.crop) }

    /// --grid as (rows, columns).
    func gridSize() throws -> (rows: Int, columns: Int) { try SheetMeasure.grid(grid) }

    /// evaluate --sheet: the carry of a picture.
    func measureSheet(_ path: String) throws {
        let (rows, columns) = try gridSize()
        let measure = try SheetMeasure.measure(
            path: path, named: "--sheet \(path)", rows: rows, columns: columns, inputRow: inputRow, crop: try cropBox(),
            greyMap: greyMap ?? .greys)
        if json { return print(try EvaluationRecord.jsonLine(measure)) }
        measure.lines.forEach { print($0) }
    }

    func run() throws {
        if let sheet { return try measureSheet(sheet) }
        try checkpoint.check(runOptions)
        let settings = EvaluationRecord.Settings(
            samples: samples, seed: seed, testDigits: testDigits, sheetInputs: try inputs.map(SheetInputs.parse))
        let quiet = runOptions.quiet || json
        Threads.set(runOptions.threads)
        let record = try EvaluationRecord.evaluate(
            runIn: runOptions.run, article: runOptions.usesArticleModel, checkpoint: checkpoint.iteration,
            settings: settings, dataDirectory: dataOptions.data, named: classifierOptions.named,
            judge: { try classifierOptions.judge(of: $0, threads: runOptions.threads, quiet: quiet) }
        ) { Terminal.info($0, quiet: quiet) }
        if json { return print(try EvaluationRecord.jsonLine(record)) }
        record.table().forEach { print($0) }
    }
}
