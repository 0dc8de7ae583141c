import Foundation

/// `checkpoint.safetensors` as it lies on disk, read and written here only: named float arrays
/// (the weights, each trained one's RMSProp accumulator, the epoch's batch order) and, in the
/// metadata, what the model is, which engine computed it, and a plain trainer state. It knows
/// neither the model nor the engine: RunModel makes the arrays weights, Training maps the state
/// to and from a trainer.
///
/// Tensors (float32):
///   `<layer>.kernel`, `<layer>.bias`  the weights, Keras layout (docs/FORMATS.md)
///   `<layer>.kernel.rms`, ...         RMSProp mean-square accumulators (as TF1's `rms` slot)
///   `state.batch_order`               this epoch's permutation of the training set
/// Metadata (strings): the keys of `Key`.
///
/// A kept checkpoint (`KeptCheckpoints`) is the same file with the weights alone: its format is
/// `weightsOnlyFormat`, and its metadata holds `format`, `iteration`, `model.kind`,
/// `model.latent_dim`, `engine.revision` and `engine.precision`. Every reader of weights reads
/// both; only a resume needs the whole checkpoint.
public struct CheckpointFile: Sendable {
    public static let format = "vaegan-render checkpoint 1"
    /// The format of a kept checkpoint: the weights of one, without optimiser or trainer state.
    public static let weightsOnlyFormat = "vaegan-render kept weights 1"

    /// The metadata's keys.
    public enum Key: String, CaseIterable, Sendable {
        case format, iteration
        case dataRNG = "rng.data", noiseRNG = "rng.noise", dropoutRNG = "rng.dropout"
        case nextBatch = "batch.next", epoch = "batch.epoch"
        case modelKind = "model.kind", latentDim = "model.latent_dim"
        /// The engine revision and precision that computed it: a resume needs the same. Absent in
        /// checkpoints from before they were recorded (revision 1, fp32).
        case engineRevision = "engine.revision", precision = "engine.precision"
    }

    /// The array that holds the batch order.
    public static let batchOrderName = "state.batch_order"
    /// The array that holds the RMSProp accumulator of the parameter `name`.
    public static func accumulatorName(_ name: String) -> String { name + ".rms" }

    /// Where a trainer stands, as plain numbers: everything it needs besides its weights and
    /// optimiser state to go on exactly where it stopped.
    public struct TrainerState: Equatable, Sendable {
        public var iteration: Int
        /// The xoshiro256** states of the data, noise and dropout generators, four words each.
        public var dataRNG: [UInt64], noiseRNG: [UInt64], dropoutRNG: [UInt64]
        public var nextBatch: Int, epoch: Int
        /// This epoch's order of the training examples (empty before the first epoch starts).
        public var batchOrder: [Int]

        public init(
            iteration: Int, dataRNG: [UInt64], noiseRNG: [UInt64], dropoutRNG: [UInt64], nextBatch: Int, epoch: Int,
            batchOrder: [Int]
        ) {
            self.iteration = iteration; self.dataRNG = dataRNG; self.noiseRNG = noiseRNG
            self.dropoutRNG = dropoutRNG; self.nextBatch = nextBatch; self.epoch = epoch; self.batchOrder = batchOrder
        }
    }

    public let path: String
    /// Every array: parameters, accumulators and the batch order.
    public let arrays: [String: StoredArray]
    public let metadata: [String: String]

    public subscript(key: Key) -> String? { metadata[key.rawValue] }

    /// Whether the file holds the weights alone (a kept checkpoint).
    public var isWeightsOnly: Bool { self[.format] == Self.weightsOnlyFormat }

    /// A checkpoint file (or a kept checkpoint's weights), with its format checked; nothing else
    /// is checked until asked for.
    public static func read(path: String) throws -> CheckpointFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RunError.missing(file: (path as NSString).deletingLastPathComponent, what: "holds no checkpoint yet")
        }
        let (arrays, metadata) = try SafeTensors.read(path: path)
        let file = CheckpointFile(path: path, arrays: arrays, metadata: metadata)
        guard file[.format] == format || file.isWeightsOnly else {
            throw file.invalid("is not a vaegan-render checkpoint (format '\(file[.format] ?? "none")')")
        }
        return file
    }

    /// Write parameters and accumulators (`arrays`), the model's identity, the engine's, and
    /// where the trainer stands.
    public static func write(
        to path: String, arrays: [String: StoredArray], modelKind: String, latentDim: Int, engineRevision: Int,
        precision: String, state: TrainerState
    ) throws {
        var tensors = arrays
        tensors[batchOrderName] = StoredArray(shape: [state.batchOrder.count], values: state.batchOrder.map(Float.init))
        let words = { (w: [UInt64]) in w.map { String($0, radix: 16) }.joined(separator: ",") }
        let metadata: [Key: String] = [
            .format: format, .engineRevision: String(engineRevision), .iteration: String(state.iteration),
            .dataRNG: words(state.dataRNG), .noiseRNG: words(state.noiseRNG), .dropoutRNG: words(state.dropoutRNG),
            .nextBatch: String(state.nextBatch), .epoch: String(state.epoch), .modelKind: modelKind,
            .latentDim: String(latentDim), .precision: precision
        ]
        try SafeTensors.write(
            tensors, metadata: Dictionary(uniqueKeysWithValues: metadata.map { ($0.key.rawValue, $0.value) }),
            to: path)
    }

    /// Write the weights of a checkpoint alone (`arrays`: no accumulators, no batch order), as a
    /// run keeps them (`KeptCheckpoints`), atomically.
    public static func writeWeights(
        to path: String, arrays: [String: StoredArray], modelKind: String, latentDim: Int, engineRevision: Int,
        precision: String, iteration: Int
    ) throws {
        let metadata: [Key: String] = [
            .format: weightsOnlyFormat, .engineRevision: String(engineRevision), .iteration: String(iteration),
            .modelKind: modelKind, .latentDim: String(latentDim), .precision: precision
        ]
        try SafeTensors.write(
            arrays, metadata: Dictionary(uniqueKeysWithValues: metadata.map { ($0.key.rawValue, $0.value) }), to: path)
    }

    /// The run's error for this file.
    public func invalid(_ problem: String) -> RunError { .invalid(file: path, problem: problem) }

    /// An integer of the metadata within `range`.
    public func int(_ key: Key, in range: ClosedRange<Int>) throws -> Int {
        guard let v = self[key].flatMap({ Int($0) }), range.contains(v) else {
            throw invalid("metadata '\(key.rawValue)' is missing or out of range")
        }
        return v
    }

    /// The iteration it was written at: what every reader needs.
    public func iteration() throws -> Int { try int(.iteration, in: 0...Int(Int32.max)) }

    /// Where the trainer stood, checked against a training set of `examples` cut into batches of
    /// `batchSize`: positions in range, and the batch order a permutation of the examples.
    public func trainerState(examples: Int, batchSize: Int) throws -> TrainerState {
        let iteration = try iteration()
        let nextBatch = try int(.nextBatch, in: 0...(examples / batchSize))
        let epoch = try int(.epoch, in: -1...Int(Int32.max))
        let words = { (key: Key) in (self[key] ?? "").split(separator: ",").compactMap { UInt64($0, radix: 16) } }
        guard let orderArray = arrays[Self.batchOrderName] else {
            throw invalid("tensor '\(Self.batchOrderName)' is missing")
        }
        let order = orderArray.values.compactMap { Int(exactly: $0) }
        guard
            order.count == orderArray.values.count,
            order.isEmpty
                || (order.count == examples && Set(order).count == examples
                    && order.allSatisfy({ (0..<examples).contains($0) }))
        else {
            throw invalid("tensor '\(Self.batchOrderName)' is not a permutation of the \(examples) training examples")
        }
        return TrainerState(
            iteration: iteration, dataRNG: words(.dataRNG), noiseRNG: words(.noiseRNG), dropoutRNG: words(.dropoutRNG),
            nextBatch: nextBatch, epoch: epoch, batchOrder: order)
    }
}
