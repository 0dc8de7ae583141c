import RunFolder
import Tensor
import VAEGAN

/// The decoder a snapshot keeps (`train-and-record --record-decoders`): its parameters in 16 bits,
/// in the order `ModelWeights.parameters(.decoder)` lists them, so that a film can be redrawn
/// afterwards over latent dimensions chosen once training has shown which carry the style.
public extension Snapshot {
    /// The decoder's parameters of `weights`, as a snapshot keeps them.
    static func decoderHalves(_ weights: ModelWeights) -> [UInt16] {
        weights.parameters(.decoder).flatMap { halves(UnsafeBufferPointer($0.value.buffer)) }
    }

    /// `base`'s weights (the run's latest: the encoder and discriminator are not drawn with) with
    /// this snapshot's decoder in place of its own. Nil when the snapshot keeps no decoder; a kept
    /// decoder of another size than `base`'s is a recording of another model, refused.
    func weights(decoderOver base: ModelWeights, recording: String) throws -> ModelWeights? {
        guard let decoder else { return nil }
        let parameters = base.parameters(.decoder)
        let expected = parameters.reduce(0) { $0 + $1.value.count }
        guard decoder.count == expected else {
            throw RunError.invalid(
                file: recording,
                problem:
                    "the snapshot at iteration \(iteration) keeps \(decoder.count) decoder values, not the model's \(expected)"
            )
        }
        var tensors = base.tensors.mapValues { Tensor(shape: $0.shape, values: $0.array) }
        var at = 0
        for name in base.names where parameters.contains(where: { $0 === base[name] }) {
            let shape = base[name].value.shape, count = shape.reduce(1, *)
            tensors[name] = Tensor(shape: shape, values: Self.floats(decoder[at..<at + count]))
            at += count
        }
        return try ModelWeights(tensors: tensors, latentDim: base.latentDim, data: base.data)
    }

    /// This snapshot with the grids of `axes`' labels redrawn over their two latent dimensions by
    /// the decoder it kept and `base`'s other weights. Throws when it kept no decoder.
    func redrawn(over axes: [Int: (column: Int, row: Int)], base: LatestModel, recording: String) throws -> Snapshot {
        guard let weights = try weights(decoderOver: base.inference.weights, recording: recording) else {
            throw RunError.invalid(
                file: recording,
                problem: "the snapshot at iteration \(iteration) keeps no decoder "
                    + "(a run trained with --record-decoders can be redrawn over other dimensions)")
        }
        let inference = Inference(weights: weights, config: base.inference.config)
        var out = self
        for (label, pair) in axes {
            out.grids[label] = Self.quantise(UnsafeBufferPointer(inference.manifold(label: label, axes: pair).buffer))
        }
        return out
    }
}
