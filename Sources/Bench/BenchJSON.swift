import AtomicIO
import Foundation
import RunFolder
import Tensor
import Training

/// `bench --json`: the one object BENCHMARKS.md's figures are read from.
package struct BenchJSON: Codable {
    package let threads: Int, batch: Int
    /// The images' shape the model was timed at (`bench --side --channels`).
    package let side: Int, channels: Int
    package let sgemmGflops: Double, peakRssMb: Double
    package let machineKind: String
    /// bf16 over fp32, and ours over the anchor's, each by figure.
    package let ratios: [String: [String: Double]]
    package let kernels: KernelChoice.Record
    package let frameMs: Double, filmS: Double
    package let precisions: [String: PrecisionFigures]

    enum CodingKeys: String, CodingKey {
        case threads, batch, side, channels, ratios, kernels, precisions
        case sgemmGflops = "sgemm_gflops", peakRssMb = "peak_rss_mb", machineKind = "machine_kind"
        case frameMs = "frame_ms", filmS = "film_s"
    }

    /// The training steps and a snapshot of one precision.
    package struct ModelFigures: Codable {
        package var dStepMs = 0.0, gStepMs = 0.0, iterationMs = 0.0, snapshotMs = 0.0
        package var dStepGflop = 0.0, gStepGflop = 0.0, dStepGflops = 0.0, gStepGflops = 0.0
        package var snapshotDecodesMs = 0.0

        enum CodingKeys: String, CodingKey {
            case dStepMs = "d_step_ms", gStepMs = "g_step_ms", iterationMs = "iteration_ms"
            case snapshotMs = "snapshot_ms", dStepGflop = "d_step_gflop", gStepGflop = "g_step_gflop"
            case dStepGflops = "d_step_gflops", gStepGflops = "g_step_gflops"
            case snapshotDecodesMs = "snapshot_decodes_ms"
        }
    }

    /// One convolution's three passes.
    package struct Convolution: Codable {
        package let name: String, geometry: String
        package let forwardMs: Double, backwardDataMs: Double, backwardWeightsMs: Double
        package let forwardGflops: Double, backwardDataGflops: Double, backwardWeightsGflops: Double
        package let implementations: [String: String]

        enum CodingKeys: String, CodingKey {
            case name, geometry, implementations
            case forwardMs = "forward_ms", backwardDataMs = "backward_data_ms"
            case backwardWeightsMs = "backward_weights_ms", forwardGflops = "forward_gflops"
            case backwardDataGflops = "backward_data_gflops", backwardWeightsGflops = "backward_weights_gflops"
        }
    }

    /// What one precision measured: the model's figures at the top of its object, beside the
    /// convolutions and the op profiles (milliseconds).
    package struct PrecisionFigures: Codable {
        package let model: ModelFigures
        package let convolutions: [Convolution]
        package let opMsPerDPlusG: [String: Double], opForwardMsPerDPlusG: [String: Double]
        package let opMsPer225Decodes: [String: Double]

        enum CodingKeys: String, CodingKey {
            case convolutions
            case opMsPerDPlusG = "op_ms_per_d_plus_g", opForwardMsPerDPlusG = "op_forward_ms_per_d_plus_g"
            case opMsPer225Decodes = "op_ms_per_225_decodes"
        }

        package func encode(to encoder: Encoder) throws {
            try model.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(convolutions, forKey: .convolutions)
            try c.encode(opMsPerDPlusG, forKey: .opMsPerDPlusG)
            try c.encode(opForwardMsPerDPlusG, forKey: .opForwardMsPerDPlusG)
            try c.encode(opMsPer225Decodes, forKey: .opMsPer225Decodes)
        }
    }
}

extension BenchJSON.PrecisionFigures {
    /// Read as `encode` writes it: the model's figures at the top of the object (here, so that the
    /// memberwise initialiser stays).
    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            model: try BenchJSON.ModelFigures(from: decoder),
            convolutions: try c.decode([BenchJSON.Convolution].self, forKey: .convolutions),
            opMsPerDPlusG: try c.decode([String: Double].self, forKey: .opMsPerDPlusG),
            opForwardMsPerDPlusG: try c.decode([String: Double].self, forKey: .opForwardMsPerDPlusG),
            opMsPer225Decodes: try c.decode([String: Double].self, forKey: .opMsPer225Decodes))
    }
}

/// The PyTorch anchor's figures of a sitting (scripts/anchor.sh): each precision's figures by the
/// names `bench --json` gives them. Figures are read where they are numbers; others are ignored.
public struct Anchor: Decodable, Sendable {
    public let precisions: [String: [String: JSONValue]]
}

extension Anchor {
    /// The anchor's JSON at `path`, named in messages as `--anchor PATH`.
    public static func read(path: String) throws -> Anchor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(path: "--anchor \(path)", "cannot be read")
        }
        guard let anchor = try? JSONDecoder().decode(Anchor.self, from: data) else {
            throw FileError(path: "--anchor \(path)", "is not the anchor's JSON (no \"precisions\" object)")
        }
        return anchor
    }
}

extension Precision {
    /// The precisions `bench` times: those `asked` (in their own order), or with none asked every
    /// one this CPU runs. One asked that the CPU cannot run is refused (`checkAvailable`).
    public static func benched(asked: [Precision]) throws -> [Precision] {
        let chosen = asked.isEmpty ? allCases.filter { $0.problem() == nil } : allCases.filter { asked.contains($0) }
        for p in chosen { try p.checkAvailable() }
        return chosen
    }
}
