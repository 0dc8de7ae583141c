import Canvas
import Datasets
import Films
import Foundation
import RunFolder
import RunModel
import Tensor
import Training
import VAEGAN

/// The figures of one `vaegan-render bench` run: every convolution of the model at its training
/// batch, the training steps and a snapshot, in each precision asked; a frame and a film; the
/// sgemm peak; and, given the PyTorch anchor's figures of the same sitting, the ratios to them.
/// The model is the default run's for images of one shape (MNIST's 28x28 grey unless asked), on
/// noise of that shape.
public final class BenchReport {
    let threads: Int, batch: Int, repeats: Int
    let precisions: [Precision]
    /// The anchor's figures (scripts/anchor), if given.
    let anchor: Anchor?
    /// The model whose steps are timed: the default run's, for `data`.
    let model: ModelConfig

    /// What one precision measured.
    struct Measured {
        var model = BenchJSON.ModelFigures()
        var convolutions: [BenchJSON.Convolution] = []
        var table: [String] = []
        /// Seconds per D step + G step spent in each op (forward and backward), and the forward's share.
        var opProfile: [String: Double] = [:], opForward: [String: Double] = [:]
        /// Seconds per batch of 225 decodes spent in each op.
        var decodeProfile: [String: Double] = [:]
    }

    /// - Parameter data: the images' shape and classes the model is made for.
    public init(
        threads: Int, batch: Int, repeats: Int, precisions: [Precision], data: DataDescription = .digits,
        anchor: Anchor? = nil
    ) {
        self.threads = threads; self.batch = batch; self.repeats = repeats; self.precisions = precisions;
        self.anchor = anchor
        model = ModelConfig(data: data)
    }

    /// The images' shape, as the output names it: "28x28x1".
    var shape: String { "\(model.data.side)x\(model.data.side)x\(model.data.channels)" }

    /// Median times of the training steps and a snapshot in `precision`, with their op profiles.
    func modelTimings(_ precision: Precision, into m: inout Measured) {
        var rng = RNG(seed: 2)
        let train = DigitSet.noise(max(4 * batch, 256), data: model.data, rng: &rng)
        let test = DigitSet.noise(1000, data: model.data, rng: &rng)
        var wrng = RNG(seed: 3)
        var config = model
        config.precision = precision
        let trainer = Trainer(
            config: config, weights: ModelWeights(latentDim: model.latentDim, data: model.data, rng: &wrng),
            data: train,
            batchSize: batch, seed: 4)
        let b = Batch(train, indices: 0..<batch, latentDim: model.latentDim, data: model.data, rng: &rng)
        func flops(_ body: () -> Void) -> Double {
            FlopCounter.reset()
            body()
            return FlopCounter.total
        }
        let dFlops = flops { trainer.discriminatorStep(b) }, gFlops = flops { trainer.generatorStep(b) }
        let d = KernelBench.median(repeats: repeats) { trainer.discriminatorStep(b) }
        let g = KernelBench.median(repeats: repeats) { trainer.generatorStep(b) }
        let dg = KernelBench.median(repeats: repeats) {
            trainer.discriminatorStep(b); trainer.generatorStep(b)
        }
        // One profiled D step and G step: where the time goes, per op and layer.
        let profiler = OpProfiler()
        trainer.profiler = profiler
        for _ in 0..<max(1, repeats / 3) { trainer.discriminatorStep(b); trainer.generatorStep(b) }
        trainer.profiler = nil
        m.opProfile = profiler.entries.mapValues { ($0.forward + $0.backward) / Double(max(1, repeats / 3)) }
        m.opForward = profiler.entries.mapValues { $0.forward / Double(max(1, repeats / 3)) }
        let recorder = Recorder(test: test, data: trainer.config.data)
        let snapshot = KernelBench.median(repeats: max(1, repeats / 3)) {
            _ = recorder.snapshot(weights: trainer.weights, config: trainer.config, period: 0, iteration: 0)
        }
        // The anchor's snapshot: 2,250 decodes, one batch of 225 per label (no reconstructions or z_means).
        let inference = Inference(weights: trainer.weights, config: trainer.config, precision: precision)
        let decodes = KernelBench.median(repeats: max(1, repeats / 3)) {
            for label in trainer.config.data.classes.labels { _ = inference.manifoldImages(label: label) }
        }
        // Where one batch of 225 decodes goes, per op.
        let decodeTape = Tape.inference(precision: precision)
        let decodeProfiler = OpProfiler()
        decodeTape.profiler = decodeProfiler
        var zrng = RNG(seed: 5)
        for _ in 0..<3 {
            decodeProfiler.mark()
            _ = Networks(weights: trainer.weights, config: trainer.config, tape: decodeTape)
                .decode(
                    Variable(Tensor.normal([225, model.latentDim], rng: &zrng)),
                    Variable(Batch.oneHot(Array(repeating: 3, count: 225), data: trainer.config.data)))
        }
        m.decodeProfile = decodeProfiler.entries.mapValues { $0.forward / 3 }
        m.model = BenchJSON.ModelFigures(
            dStepMs: d * 1e3, gStepMs: g * 1e3, iterationMs: dg * 1e3, snapshotMs: snapshot * 1e3,
            dStepGflop: dFlops / 1e9, gStepGflop: gFlops / 1e9, dStepGflops: dFlops / d / 1e9,
            gStepGflops: gFlops / g / 1e9, snapshotDecodesMs: decodes * 1e3)
    }

    /// One frame and one 190-frame film of a snapshot's grid at the model's shape (the same in
    /// every precision).
    func drawingTimings() -> [String: Double] {
        var rng = RNG(seed: 2), wrng = RNG(seed: 3)
        let test = DigitSet.noise(1000, data: model.data, rng: &rng)
        let snap = Recorder(test: test, data: model.data).snapshot(
            weights: ModelWeights(latentDim: model.latentDim, data: model.data, rng: &wrng), config: model, period: 0,
            iteration: 0
        ).snapshot
        let frame = ManifoldFrame(), surface = Surface(width: frame.size, height: frame.size)
        let frameTime = KernelBench.median(repeats: repeats) {
            frame.draw(on: surface, grid: snap.grids[7], gridSize: snap.gridSize, label: 7, data: model.data, batch: 0)
        }
        let film = NSTemporaryDirectory() + "vaegan-bench-\(getpid())-manifold_7.mp4"
        defer { unlink(film) }
        let filmTime = KernelBench.median(repeats: 1) {
            try? RunFilms(snapshots: Array(repeating: snap, count: 190), threads: 1, data: model.data).manifold(
                label: 7, to: film)
        }
        return ["frame_ms": frameTime * 1e3, "film_s": filmTime]
    }

    /// Every convolution's three passes in `precision`, as rows (JSON) and lines (table).
    func convolutionTimings(_ precision: Precision, into m: inout Measured) {
        m.table = [
            Self.column("conv", 23) + Self.column("(batch)", 26)
                + "   forward           backward-data     backward-weights  implementation (fwd)"
        ]
        for (name, g, winograd) in Self.convolutions(
            Architecture(latentDim: model.latentDim, data: model.data), batch: batch)
        {
            let t = KernelBench.conv(g, winograd: winograd, precision: precision, repeats: repeats)
            let gf = { (s: Double) in g.flops / s / 1e9 }
            m.convolutions.append(
                BenchJSON.Convolution(
                    name: name, geometry: g.description, forwardMs: t.forward * 1e3,
                    backwardDataMs: t.backwardData * 1e3, backwardWeightsMs: t.backwardWeights * 1e3,
                    forwardGflops: gf(t.forward), backwardDataGflops: gf(t.backwardData),
                    backwardWeightsGflops: gf(t.backwardWeights), implementations: t.implementations))
            m.table.append(
                Self.column(name, 23) + Self.column(g.description, 26)
                    + String(
                        format: "%7.2f ms %5.0f   %7.2f ms %5.0f   %7.2f ms %5.0f   %@",
                        t.forward * 1e3, gf(t.forward), t.backwardData * 1e3, gf(t.backwardData),
                        t.backwardWeights * 1e3,
                        gf(t.backwardWeights),
                        (t.implementations["forward"] ?? "") as NSString))
        }
    }

    /// The figures compared between precisions and with the anchor, by their JSON names.
    static var compared: [(key: String, figure: KeyPath<BenchJSON.ModelFigures, Double>)] {
        [
            ("d_step_ms", \.dStepMs), ("g_step_ms", \.gStepMs), ("iteration_ms", \.iterationMs),
            ("snapshot_decodes_ms", \.snapshotDecodesMs)
        ]
    }

    /// bf16's figures over fp32's, and ours over the anchor's in each precision it measured.
    func ratios(_ measured: [Precision: Measured]) -> [String: [String: Double]] {
        var out: [String: [String: Double]] = [:]
        if let fp32 = measured[.fp32], let bf16 = measured[.bf16] {
            out["bf16_over_fp32"] = Dictionary(
                uniqueKeysWithValues: Self.compared.map {
                    ($0.key, bf16.model[keyPath: $0.figure] / fp32.model[keyPath: $0.figure])
                })
        }
        for (p, m) in measured {
            guard let theirs = anchor?.precisions[p.rawValue] else { continue }
            var r: [String: Double] = [:]
            for (key, figure) in Self.compared {
                if let t = theirs[key]?.number, t > 0 { r[key] = m.model[keyPath: figure] / t }
            }
            out["\(p.rawValue)_over_anchor_\(p.rawValue)"] = r
        }
        return out
    }

    /// `text` left-aligned in a column of `width`, one space at least after it (Foundation's %-32@
    /// does not pad on Linux).
    static func column(_ text: String, _ width: Int = 33) -> String {
        text.padding(toLength: max(width, text.count + 1), withPad: " ", startingAt: 0)
    }

    static var peakRSSMegabytes: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// The kernels the figures are of, for every precision measured.
    var kernels: (line: String, record: KernelChoice.Record) {
        let choice = KernelChoice.current(precision: precisions[0])
        var words = SessionLog.Kernels(choice)
        words.precision = precisions.map(\.rawValue).joined(separator: " and ")
        var record = choice.record
        record.precision = nil
        record.precisions = precisions.map(\.rawValue)
        return ("kernels: " + words.text(threads: threads)!, record)
    }

    /// Measure, then print a table (or one JSON object). The table's first line names the kernels.
    public func print(json: Bool) {
        if !json {
            Swift.print(kernels.line)
            fflush(nil)
        }
        var measured: [Precision: Measured] = [:]
        for p in precisions {
            var m = Measured()
            modelTimings(p, into: &m)
            convolutionTimings(p, into: &m)
            measured[p] = m
        }
        let drawing = drawingTimings()
        // Last: OpenBLAS's threads keep spinning after it and would slow what follows.
        let peak = KernelBench.sgemmGFLOPS(threads: threads)
        let ratios = ratios(measured)
        if json {
            let object = BenchJSON(
                threads: threads, batch: batch, side: model.data.side, channels: model.data.channels,
                sgemmGflops: peak, peakRssMb: Self.peakRSSMegabytes,
                machineKind: Threads.machineKind, ratios: ratios, kernels: kernels.record,
                frameMs: drawing["frame_ms"]!, filmS: drawing["film_s"]!,
                precisions: Dictionary(
                    uniqueKeysWithValues: measured.map { p, m in
                        (
                            p.rawValue,
                            BenchJSON.PrecisionFigures(
                                model: m.model, convolutions: m.convolutions,
                                opMsPerDPlusG: m.opProfile.mapValues { $0 * 1e3 },
                                opForwardMsPerDPlusG: m.opForward.mapValues { $0 * 1e3 },
                                opMsPer225Decodes: m.decodeProfile.mapValues { $0 * 1e3 })
                        )
                    }))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Swift.print(String(decoding: try! encoder.encode(object), as: UTF8.self))
            return
        }
        Swift.print(
            String(
                format: "sgemm 2048^3: %.1f GFLOPS (%d threads); machine kind %@", peak, threads, Threads.machineKind))
        Swift.print("images \(shape) (side x side x channels), \(model.data.classes.count) classes")
        for p in precisions { printTable(p, measured[p]!) }
        Swift.print(
            String(
                format: "frame %.2f ms; 190-frame film %.2f s; peak RSS %.0f MB", drawing["frame_ms"]!,
                drawing["film_s"]!,
                Self.peakRSSMegabytes))
        for (name, r) in ratios.sorted(by: { $0.key < $1.key }) {
            Swift.print(
                name + ": "
                    + Self.compared.compactMap { c in r[c.key].map { String(format: "%@ %.2f", c.key as NSString, $0) }
                    }
                    .joined(separator: ", "))
        }
    }

    func printTable(_ p: Precision, _ m: Measured) {
        Swift.print("== \(p.rawValue)")
        m.table.forEach { Swift.print($0) }
        let total = m.opProfile.values.reduce(0, +)
        Swift.print(String(format: "time of one D step + one G step by op, %.0f ms in ops:", total * 1e3))
        Swift.print("  " + Self.column("op") + "     total  share    forward  backward")
        for (op, t) in m.opProfile.sorted(by: { $0.value > $1.value }) where t / total > 0.005 {
            let forward = m.opForward[op] ?? 0
            Swift.print(
                "  " + Self.column(op)
                    + String(
                        format: "%7.1f ms  %4.1f%%  %6.1f ms %6.1f ms", t * 1e3, 100 * t / total,
                        forward * 1e3, (t - forward) * 1e3))
        }
        let decodeTotal = m.decodeProfile.values.reduce(0, +)
        Swift.print(String(format: "one batch of 225 decodes by op, %.0f ms in ops:", decodeTotal * 1e3))
        for (op, t) in m.decodeProfile.sorted(by: { $0.value > $1.value }) where t / decodeTotal > 0.01 {
            Swift.print("  " + Self.column(op) + String(format: "%7.1f ms  %4.1f%%", t * 1e3, 100 * t / decodeTotal))
        }
        let model = m.model
        Swift.print(
            String(
                format:
                    "model %@ (batch %d): D step %.1f ms (%.2f GFLOP, %.0f GFLOPS), "
                    + "G step %.1f ms (%.2f GFLOP, %.0f GFLOPS), D+G %.1f ms", shape as NSString, batch, model.dStepMs,
                model.dStepGflop, model.dStepGflops,
                model.gStepMs, model.gStepGflop, model.gStepGflops, model.iterationMs))
        Swift.print(
            String(
                format: "snapshot %.0f ms (of which 2,250 manifold decodes %.0f ms)", model.snapshotMs,
                model.snapshotDecodesMs))
    }

    /// Every convolution of the networks at the batch it trains on, as the engine runs it (the
    /// decoder's upsampled conv1 folded: a 3x3 conv of the S/4 x S/4 image with 4 x 64 outputs).
    static func convolutions(_ architecture: Architecture, batch n: Int) -> [(
        name: String, geometry: ConvGeometry, winograd: Bool
    )] {
        architecture.layers.compactMap { layer in
            guard let g = layer.geometry(batch: architecture.trainingBatch(layer, batch: n)) else { return nil }
            if case .conv(_, _, _, true) = layer.kind {
                let x = [g.batch, g.height / 2, g.width / 2, g.inChannels]
                return (
                    layer.name + " (folded)", UpsampledConv.geometry(input: x, kernel: g.kernelShape), layer.winograd
                )
            }
            return (layer.name, g, layer.winograd)
        }
    }
}
