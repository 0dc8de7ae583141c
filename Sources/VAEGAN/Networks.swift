import Tensor

/// The three networks of docs/MODEL.md §2, written on a tape from the layers of `Architecture`.
/// Activations are NHWC. "A" is LeakyReLU(0.3) then Dropout(0.3) (dropout only while the tape is
/// training).
public struct Networks {
    public let weights: ModelWeights
    public let config: ModelConfig
    public let tape: Tape

    public init(weights: ModelWeights, config: ModelConfig, tape: Tape) {
        self.weights = weights; self.config = config; self.tape = tape
    }

    var layers: Architecture { weights.architecture }

    /// The convolution `layer`, then `epilogue` fused into its write.
    func conv(_ x: Variable, _ layer: Layer, then epilogue: ConvEpilogue = .none) -> Variable {
        guard case .conv(_, let stride, _, let upsampled) = layer.kind else {
            preconditionFailure("\(layer.name) is not a convolution")
        }
        if upsampled {
            // Up x2 then the conv, as one op that never builds the upsampled image (UpsampledConvPlan).
            return tape.upsampledConv2d(
                x, weights.kernel(layer), weights.bias(layer), winograd: layer.winograd,
                then: epilogue, name: layer.name)
        }
        return tape.conv2d(
            x, weights.kernel(layer), weights.bias(layer), stride: stride, winograd: layer.winograd,
            then: epilogue, name: layer.name)
    }

    func dense(_ x: Variable, _ layer: Layer) -> Variable {
        tape.dense(x, weights.kernel(layer), weights.bias(layer))
    }

    /// A: LeakyReLU then Dropout.
    func activate(_ x: Variable) -> Variable {
        tape.leakyReLUDropout(x, alpha: config.leakyAlpha, rate: config.dropout)
    }

    /// A, fused into the convolution before it.
    var activated: ConvEpilogue { .activate(alpha: config.leakyAlpha, dropout: config.dropout) }
    /// Up x2 then A, fused into the convolution before them.
    var upsampledActivated: ConvEpilogue { .upsampleActivate(alpha: config.leakyAlpha, dropout: config.dropout) }

    /// [N, features...] -> [N, prod(features)].
    func flatten(_ x: Variable) -> Variable { tape.reshape(x, [x.shape[0], x.shape.dropFirst().reduce(1, *)]) }

    /// Encoder(img [N,S,S,C], lbl [N,classes]) -> (z_mean, z_log_var), each [N, latent].
    ///   Conv 3x3/2 32 (S->S/2) · A · MaxPool (->S/4) · Conv 3x3 64 · A · Flatten((S/4)^2*64) · concat lbl ·
    ///   Dense 64 · A · Dense latent (z_mean), Dense latent (z_log_var)
    ///   (MNIST, S = 28, C = 1: 28->14->7, Flatten(3136).)
    public func encode(_ img: Variable, _ lbl: Variable) -> (mean: Variable, logVar: Variable) {
        tape.withMaskScope("encoder") { encodeLayers(img, lbl) }
    }

    func encodeLayers(_ img: Variable, _ lbl: Variable) -> (mean: Variable, logVar: Variable) {
        var h = tape.maxPool2x2(conv(img, layers.encoderConv1, then: activated))
        h = flatten(conv(h, layers.encoderConv2, then: activated))
        h = activate(dense(tape.concatLast(h, lbl), layers.encoderDense1))
        return (dense(h, layers.zMean), dense(h, layers.zLogVar))
    }

    /// z = z_mean + exp(clip(z_log_var / 2, -2, 2)) * eps.
    public func sample(mean: Variable, logVar: Variable, eps: Variable) -> Variable {
        let sigma = tape.exp(tape.clip(tape.affine(logVar, scale: 0.5), -2, 2))
        return tape.add(mean, tape.multiply(sigma, eps))
    }

    /// Decoder(z [N,latent], lbl [N,classes]) -> logits [N,S,S,C] (the image is their sigmoid).
    ///   concat · Dense (S/4)^2*128 · A · reshape S/4 x S/4 x 128 · Up x2 (S/2) · Conv 5x5 64 · A ·
    ///   Conv 3x3 32 · Up x2 (S) · A · Conv 5x5 C
    ///   (MNIST: Dense 6272, reshape 7x7x128, 14, 28, Conv 5x5 1.)
    public func decodeLogits(_ z: Variable, _ lbl: Variable) -> Variable {
        tape.withMaskScope("decoder") { decodeLayers(z, lbl) }
    }

    func decodeLayers(_ z: Variable, _ lbl: Variable) -> Variable {
        var h = activate(dense(tape.concatLast(z, lbl), layers.decoderDense1))
        h = conv(tape.reshape(h, [h.shape[0]] + layers.decoderSeed), layers.decoderConv1, then: activated)
        h = conv(h, layers.decoderConv2, then: upsampledActivated)
        return conv(h, layers.decoderConv3)
    }

    public func decode(_ z: Variable, _ lbl: Variable) -> Variable { tape.sigmoid(decodeLogits(z, lbl)) }

    /// Discriminator(img [N,S,S,C], lbl) -> (d [N,1], l [N,F,F,16]), F = ceil(S/8).
    ///   Conv 7x7/2 128 (S/2) · MaxPool (S/4) · A · concat lbl broadcast (128 + classes) · Conv 3x3 64 ·
    ///   MaxPool (F) · A · l = Conv 3x3 16;  A again on the FxFx64 tensor · Flatten(F^2*64) · Dense 1 ·
    ///   sigmoid = d
    ///   (MNIST: 14, 7, 138 channels, F = 4, Flatten(1024).)
    public func discriminate(_ img: Variable, _ lbl: Variable) -> (d: Variable, l: Variable) {
        tape.withMaskScope("discriminator") { discriminateLayers(img, lbl) }
    }

    func discriminateLayers(_ img: Variable, _ lbl: Variable) -> (d: Variable, l: Variable) {
        let c1 = conv(img, layers.discriminatorConv1)
        let labels = tape.broadcastSpatial(lbl, height: (c1.shape[1] + 1) / 2, width: (c1.shape[2] + 1) / 2)
        var h = tape.maxPool2x2(c1, activate: (config.leakyAlpha, config.dropout), appending: labels)
        h = activate(tape.maxPool2x2(conv(h, layers.discriminatorConv2)))
        let l = conv(h, layers.similarity)
        return (tape.sigmoid(dense(flatten(activate(h)), layers.discriminatorDense)), l)
    }
}
