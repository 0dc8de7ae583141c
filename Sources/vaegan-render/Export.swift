import ArgumentParser
import Canvas
import Foundation
import MNIST
import Recording
import Tensor
import VAEGAN

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export PNG sheets and plots from a run.",
        discussion: "Without --out, files go into the run directory.",
        subcommands: [StyleTransfer.self, Reconstructions.self, ManifoldPNG.self, ZScatter.self, Losses.self, MetricsPlot.self])
}

/// Where an export goes: --out, or a default name in the run directory.
func exportPath(_ out: String?, run: String, defaultName: String) throws -> String {
    let path = out ?? (run as NSString).appendingPathComponent(defaultName)
    guard path.lowercased().hasSuffix(".png") else { throw ValidationError("--out \(path): write a .png file") }
    try AtomicIOCheck.writable(path)
    return path
}

func parseLabel(_ text: String, allowAll: Bool) throws -> [Int] {
    if allowAll && text == "all" { return Array(0..<10) }
    guard let n = Int(text), (0...9).contains(n) else {
        throw ValidationError("--label must be between 0 and 9\(allowAll ? " or 'all'" : ""), got '\(text)'")
    }
    return [n]
}

extension Export {
    struct StyleTransfer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "style-transfer",
            abstract: "The notebook's style-transfer matrix: test digits of one label, re-drawn with every label.",
            discussion: "Uses the latest checkpoint. Row k decodes the digits' z_mean with label k; the source row shows the originals.")

        @OptionGroup var runOptions: RunOptions
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Source label 0-9, or 'all' for one sheet per label.") var label: String = "7"
        @Option(help: "Number of test digits (columns).") var count: Int = 10
        @Option(help: ArgumentHelp("Output PNG (with --label all: a name containing {label}).", valueName: "file.png")) var out: String?

        func validate() throws {
            _ = try parseLabel(label, allowAll: true)
            guard (1...50).contains(count) else { throw ValidationError("--count must be between 1 and 50, got \(count)") }
        }

        func run() throws {
            let recorded = try RecordedRun.open(runOptions.run)
            Threads.set(runOptions.threads)
            let inference = Inference(weights: try recorded.latestWeights(), config: recorded.config.model)
            let kind = DatasetKind(rawValue: recorded.config.dataset) ?? .mnist
            let test = try Dataset.load(directory: dataOptions.data ?? recorded.config.dataDirectory).test
            for source in try parseLabel(label, allowAll: true) {
                let name = out.map { $0.replacingOccurrences(of: "{label}", with: "\(source)") }
                let path = try exportPath(name, run: runOptions.run, defaultName: "style_transfer_\(source).png")
                let indices = Array(test.indices(ofLabel: source).prefix(count))
                let x = Batch.images(test, indices)
                let z = inference.encodeMean(x, labels: Batch.oneHot(Array(repeating: source, count: indices.count)))
                let rows = (0..<10).map { target in
                    Snapshot.digits(inference.decode(z, labels: Batch.oneHot(Array(repeating: target, count: indices.count))))
                }
                try Sheets.styleTransfer(originals: Snapshot.digits(x), decodedByLabel: rows, sourceLabel: source).writePNG(to: path)
                Terminal.info("wrote \(path) (\(kind.rawValue) test digits of label \(source))", quiet: runOptions.quiet)
            }
        }
    }

    struct Reconstructions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Test digits over their reconstructions, at one snapshot.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            let recorded = try RecordedRun.open(runOptions.run)
            let s = try recorded.snapshot(period: period)
            let path = try exportPath(out, run: runOptions.run, defaultName: "reconstructions.png")
            try Sheets.reconstructions(originals: s.originals, reconstructions: s.reconstructions, batch: s.batchNumber).writePNG(to: path)
            Terminal.info("wrote \(path)", quiet: runOptions.quiet)
        }
    }

    struct ManifoldPNG: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "manifold", abstract: "One manifold frame as PNG.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: "Label 0-9.") var label: Int
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @Option(help: "Image width and height.") var size: Int = 800
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func validate() throws {
            guard (0...9).contains(label) else { throw ValidationError("--label must be between 0 and 9, got \(label)") }
            guard (64...4096).contains(size) else { throw ValidationError("--size must be between 64 and 4096, got \(size)") }
        }

        func run() throws {
            let recorded = try RecordedRun.open(runOptions.run)
            let s = try recorded.snapshot(period: period)
            let path = try exportPath(out, run: runOptions.run, defaultName: "manifold_\(label)_period\(s.period).png")
            try ManifoldFrame(size: size).render(grid: s.grids[label], gridSize: s.gridSize, label: label, batch: s.batchNumber).writePNG(to: path)
            Terminal.info("wrote \(path)", quiet: runOptions.quiet)
        }
    }

    struct ZScatter: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "z-scatter", abstract: "Scatter of z_mean (dims 0 and 1) of test digits.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: "Label 0-9, or 'all' for every label in its own colour.") var label: String = "all"
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func validate() throws { _ = try parseLabel(label, allowAll: true) }

        func run() throws {
            let recorded = try RecordedRun.open(runOptions.run)
            let s = try recorded.snapshot(period: period)
            let labels = try parseLabel(label, allowAll: true)
            let path = try exportPath(out, run: runOptions.run, defaultName: "z_scatter_\(label)_period\(s.period).png")
            var plot = Plot(title: "z_mean of test digits, batch \(s.batchNumber)", xLabel: "z[0]", yLabel: "z[1]", xRange: -5...5, yRange: -5...5)
            plot.width = 700; plot.height = 700
            plot.series = labels.map { l in
                let pts = zip(s.zPoints, s.zLabels).filter { Int($0.1) == l }.map { (Double($0.0.x), Double($0.0.y)) }
                return Plot.Series(name: "label \(l)", points: pts, color: Plot.palette[l], asPoints: true)
            }
            try plot.render().writePNG(to: path)
            Terminal.info("wrote \(path)", quiet: runOptions.quiet)
        }
    }

    struct Losses: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The run's loss curves (log scale), from losses.csv.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            let dir = RunDirectory(runOptions.run)
            let config = try RunConfig.read(from: dir.path)
            let rows = try LossLog.read(path: dir.lossesPath)
            guard rows.count >= 2 else { throw RunError(path: dir.lossesPath, "holds fewer than two iterations; nothing to plot") }
            let path = try exportPath(out, run: runOptions.run, defaultName: "losses.png")
            let cvae = config.model.kind == .cvae
            var series = [
                Plot.Series(name: "L_prior", points: rows.map { (Double($0.iteration), $0.prior) }, color: Plot.palette[0]),
                Plot.Series(name: cvae ? "L_rec (BCE)" : "L_dis_llike", points: rows.map { (Double($0.iteration), $0.reconstruction) }, color: Plot.palette[1]),
            ]
            if !cvae {
                series.append(Plot.Series(name: "L_GAN", points: rows.compactMap { r in r.gan.map { (Double(r.iteration), $0) } }, color: Plot.palette[2]))
            }
            let values = series.flatMap { $0.points.map(\.1) }.filter { $0 > 0 && $0.isFinite }
            let lo = pow(10, floor(log10(values.min() ?? 1e-3))), hi = pow(10, ceil(log10(values.max() ?? 1)))
            var plot = Plot(title: "Losses (\(config.model.kind.rawValue), latent \(config.model.latentDim))", xLabel: "iteration",
                            yLabel: "loss (log scale)", xRange: 0...Double(rows.last!.iteration), yRange: lo...hi)
            plot.logY = true
            plot.series = series
            try plot.render().writePNG(to: path)
            Terminal.info("wrote \(path)", quiet: runOptions.quiet)
        }
    }

    struct MetricsPlot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "metrics",
            abstract: "Label accuracy and sharpness of every snapshot over training, from metrics.csv.",
            discussion: "train-and-record measures each snapshot's manifold grids with the digit classifier (see evaluate).")
        @OptionGroup var runOptions: RunOptions
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            let dir = RunDirectory(runOptions.run)
            let config = try RunConfig.read(from: dir.path)
            guard FileManager.default.fileExists(atPath: dir.metricsPath) else {
                throw RunError(path: dir.metricsPath, "missing: this run was recorded without the digit classifier")
            }
            let rows = try MetricsLog.read(path: dir.metricsPath)
            guard !rows.isEmpty else { throw RunError(path: dir.metricsPath, "holds no snapshot yet; nothing to plot") }
            let path = try exportPath(out, run: runOptions.run, defaultName: "metrics.png")
            func series(_ name: String, _ key: String, _ color: Int) -> Plot.Series {
                Plot.Series(name: name, points: rows.compactMap { r in r.values[key].map { (Double(r.iteration), $0) } }, color: Plot.palette[color])
            }
            let top = max(1.2, rows.compactMap { $0.values["sharpness_ratio"] }.max() ?? 1)
            var plot = Plot(title: "Snapshot metrics (\(config.model.kind.rawValue), latent \(config.model.latentDim))", xLabel: "iteration",
                            yLabel: "label accuracy / sharpness ratio", xRange: 0...Double(max(rows.last!.iteration, 1)), yRange: 0...top)
            plot.series = [series("label accuracy (manifold grids)", "label_accuracy", 0),
                           series("sharpness / real digits", "sharpness_ratio", 1)]
            try plot.render().writePNG(to: path)
            Terminal.info("wrote \(path)", quiet: runOptions.quiet)
        }
    }
}
