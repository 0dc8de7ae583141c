import Tensor

/// The three networks of docs/MODEL.md §2, written on a tape. Activations are NHWC.
/// "A" is LeakyReLU(0.3) then Dropout(0.3) (dropout only while the tape is training).
public struct Networks {
    public let weights: ModelWeights
    public let config: ModelConfig
    public let tape: Tape

    public init(weights: ModelWeights, config: ModelConfig, tape: Tape) {
        self.weights = weights; self.config = config; self.tape = tape
    }

    /// The 3x3 convolutions that run as Winograd F(4x4, 3x3) (see `ConvPasses`): those whose
    /// input never has an all-zero 3x3 window. The decoder's inputs are dense activations, and the
    /// discriminator's conv2 sees the label's one-hot channels everywhere; the encoder's conv2 sees
    /// blank digit borders and stays on direct convolution (the l conv is too small to matter).
    public static let winogradLayers: Set<String> = ["decoder.conv1", "decoder.conv2", "discriminator.conv2"]

    func conv(_ x: Variable, _ layer: String, stride: Int = 1) -> Variable {
        tape.conv2d(x, weights.kernel(layer), weights.bias(layer), stride: stride,
                    winograd: Self.winogradLayers.contains(layer), name: layer)
    }

    func dense(_ x: Variable, _ layer: String) -> Variable {
        tape.dense(x, weights.kernel(layer), weights.bias(layer))
    }

    /// A: LeakyReLU then Dropout.
    func activate(_ x: Variable) -> Variable {
        tape.leakyReLUDropout(x, alpha: config.leakyAlpha, rate: config.dropout)
    }

    /// Encoder(img [N,28,28,1], lbl [N,10]) -> (z_mean, z_log_var), each [N, latent].
    ///   Conv 3x3/2 32 (28->14) · A · MaxPool (14->7) · Conv 3x3 64 · A · Flatten(3136) · concat lbl ·
    ///   Dense 64 · A · Dense latent (z_mean), Dense latent (z_log_var)
    public func encode(_ img: Variable, _ lbl: Variable) -> (mean: Variable, logVar: Variable) {
        var h = activate(conv(img, "encoder.conv1", stride: 2))
        h = tape.maxPool2x2(h)
        h = activate(conv(h, "encoder.conv2"))
        h = tape.reshape(h, [h.shape[0], 7 * 7 * 64])
        h = activate(dense(tape.concatLast(h, lbl), "encoder.dense1"))
        return (dense(h, "encoder.z_mean"), dense(h, "encoder.z_log_var"))
    }

    /// z = z_mean + exp(clip(z_log_var / 2, -2, 2)) * eps.
    public func sample(mean: Variable, logVar: Variable, eps: Variable) -> Variable {
        let sigma = tape.exp(tape.clip(tape.affine(logVar, scale: 0.5), -2, 2))
        return tape.add(mean, tape.multiply(sigma, eps))
    }

    /// Decoder(z [N,latent], lbl [N,10]) -> logits [N,28,28,1] (the image is their sigmoid).
    ///   concat · Dense 6272 · A · reshape 7x7x128 · Up x2 (14) · Conv 5x5 64 · A · Conv 3x3 32 ·
    ///   Up x2 (28) · A · Conv 5x5 1
    public func decodeLogits(_ z: Variable, _ lbl: Variable) -> Variable {
        var h = activate(dense(tape.concatLast(z, lbl), "decoder.dense1"))
        // Up x2 then Conv 5x5, as one op that never builds the upsampled image (UpsampledConvPlan).
        h = tape.upsampledConv2d(tape.reshape(h, [h.shape[0], 7, 7, 128]), weights.kernel("decoder.conv1"),
                                 weights.bias("decoder.conv1"), winograd: Self.winogradLayers.contains("decoder.conv1"),
                                 name: "decoder.conv1")
        h = activate(h)
        h = tape.upsample2x(conv(h, "decoder.conv2"))
        return conv(activate(h), "decoder.conv3")
    }

    public func decode(_ z: Variable, _ lbl: Variable) -> Variable { tape.sigmoid(decodeLogits(z, lbl)) }

    /// Discriminator(img, lbl) -> (d [N,1], l [N,4,4,16]).
    ///   Conv 7x7/2 128 · MaxPool (7) · A · concat lbl broadcast (138) · Conv 3x3 64 · MaxPool (4) · A ·
    ///   l = Conv 3x3 16;  A again on the 4x4x64 tensor · Flatten(1024) · Dense 1 · sigmoid = d
    public func discriminate(_ img: Variable, _ lbl: Variable) -> (d: Variable, l: Variable) {
        var h = activate(tape.maxPool2x2(conv(img, "discriminator.conv1", stride: 2)))
        h = tape.concatLast(h, tape.broadcastSpatial(lbl, height: 7, width: 7))
        h = activate(tape.maxPool2x2(conv(h, "discriminator.conv2")))
        let l = conv(h, "discriminator.l_conv")
        h = tape.reshape(activate(h), [h.shape[0], 4 * 4 * 64])
        return (tape.sigmoid(dense(h, "discriminator.d_dense")), l)
    }
}
