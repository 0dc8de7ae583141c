import Datasets
import Tensor

/// The losses of one forward pass over a batch (docs/MODEL.md §3), as tape values, in any of the
/// notebook's variants (`LossVariant`). P is the values of one image, S*S*C (784 for MNIST).
///
/// The decoder runs once on [enc(x); z_p] and the discriminator once on [x; dec(enc(x)); dec(z_p)]:
/// the same math as separate calls (no op mixes samples), in fewer, larger kernels.
public struct ForwardPass {
    public let zMean: Variable, zLogVar: Variable
    /// dec(enc(x)) and dec(z_p), images in [0, 1].
    public let reconstruction: Variable, generated: Variable
    /// D's outputs on x, dec(enc(x)), dec(z_p).
    public let dReal: Variable, dReconstructed: Variable, dGenerated: Variable
    /// The `l` layer on x and on dec(enc(x)).
    public let lReal: Variable, lReconstructed: Variable
    /// L_prior = k * sum(1 + clip(lv) - mu^2 - exp(clip(lv))) / P, k = -0.5 (-0.125 in figures)
    public let prior: Variable
    /// L_GAN = -1/4 * B / P (printed) or -1/4 * B / N (published, figures), where
    /// B = sum over the batch of log(D(x)+1e-10) + 2 log(1-D(dec(z_p))+1e-10) + log(1-D(dec(enc(x)))+1e-10).
    /// The printed scale puts L_GAN near 0.06 on MNIST, below both balancing thresholds of the loop.
    public let gan: Variable
    /// printed, figures: L_dis_llike = sum(sigmoid_xent(labels: sigmoid(l(x)), logits: l(dec(enc(x))))) / P
    /// published:        L_dis_llike = sum((l(x) - l(dec(enc(x))))^2) / P
    public let disLlike: Variable

    /// 1/P: sums over the batch are divided by the values of one image, per pixel and channel, as
    /// the notebook divides by 28*28 (docs/MODEL.md §3). MNIST's 1 / Float(784), as it always was.
    public static func pixelScale(_ data: DataDescription) -> Float { 1 / Float(data.pixels) }

    /// - Parameter batched: run the decoder once on [enc(x); z_p] and the discriminator once on its
    ///   three inputs (the D step, whose backward needs every row), or each input on its own (the
    ///   G step: its encoder pass then back-propagates through the enc(x) rows only, and neither
    ///   pass through D(x), which leads to no generator weight).
    public init(_ net: Networks, batch: Batch, eps: Tensor, batched: Bool = true) {
        let t = net.tape
        let n = batch.size
        let x = Variable(batch.x), y = Variable(batch.y)
        (zMean, zLogVar) = net.encode(x, y)
        let z = net.sample(mean: zMean, logVar: zLogVar, eps: Variable(eps))
        if batched {
            let y2 = Variable(Tensor.concatRows([batch.y, batch.y]))
            let decoded = net.decode(t.concatRows([z, Variable(batch.zp)]), y2)
            reconstruction = t.rows(decoded, 0..<n)
            generated = t.rows(decoded, n..<2 * n)
            let y3 = Variable(Tensor.concatRows([batch.y, batch.y, batch.y]))
            let (d, l) = net.discriminate(t.concatRows([x, decoded]), y3)
            dReal = t.rows(d, 0..<n)
            dReconstructed = t.rows(d, n..<2 * n)
            dGenerated = t.rows(d, 2 * n..<3 * n)
            lReal = t.rows(l, 0..<n)
            lReconstructed = t.rows(l, n..<2 * n)
        } else {
            reconstruction = net.decode(z, y)
            generated = net.decode(Variable(batch.zp), y)
            (dReal, lReal) = net.discriminate(x, y)
            (dReconstructed, lReconstructed) = net.discriminate(reconstruction, y)
            (dGenerated, _) = net.discriminate(generated, y)
        }
        let variant = net.config.variant, perValue = Self.pixelScale(net.layers.data)
        prior = Self.prior(t, mean: zMean, logVar: zLogVar, scale: variant.priorScale * perValue)

        let logReal = t.log(t.affine(dReal, scale: 1, shift: 1e-10))
        let logFakeZ = t.log(t.affine(t.affine(dGenerated, scale: -1, shift: 1), scale: 1, shift: 1e-10))
        let logFakeX = t.log(t.affine(t.affine(dReconstructed, scale: -1, shift: 1), scale: 1, shift: 1e-10))
        let total = t.add(t.add(t.sum(logReal), t.affine(t.sum(logFakeZ), scale: 2)), t.sum(logFakeX))
        gan = t.affine(total, scale: variant.ganAveragedOverBatch ? -0.25 / Float(n) : -0.25 * perValue)
        if variant.llikeIsCrossEntropy {
            let xent = t.sigmoidCrossEntropy(labels: t.sigmoid(lReal), logits: lReconstructed)
            disLlike = t.affine(t.sum(xent), scale: perValue)
        } else {
            disLlike = t.affine(t.sum(t.square(t.subtract(lReal, lReconstructed))), scale: perValue)
        }
    }

    /// `scale` * sum(1 + clip(lv, -2, 2) - mu^2 - exp(clip(lv, -2, 2))), `scale` holding the 1/P.
    static func prior(_ t: Tape, mean: Variable, logVar: Variable, scale: Float) -> Variable {
        let clv = t.clip(logVar, -2, 2)
        let inner = t.subtract(t.subtract(t.affine(clv, scale: 1, shift: 1), t.square(mean)), t.exp(clv))
        return t.affine(t.sum(inner), scale: scale)
    }
}

/// The plain conditional VAE's loss: pixel-wise binary cross-entropy of the reconstruction plus
/// the same KL term, both summed over the batch and divided by P = S*S*C (784 for MNIST).
public struct CVAEForwardPass {
    public let zMean: Variable, zLogVar: Variable
    public let reconstruction: Variable
    public let prior: Variable
    /// sum(sigmoid_xent(labels: x, logits: decoder logits)) / P, the BCE computed from logits.
    public let reconstructionLoss: Variable
    public let total: Variable

    public init(_ net: Networks, batch: Batch, eps: Tensor) {
        let t = net.tape
        let x = Variable(batch.x), y = Variable(batch.y)
        (zMean, zLogVar) = net.encode(x, y)
        let z = net.sample(mean: zMean, logVar: zLogVar, eps: Variable(eps))
        let logits = net.decodeLogits(z, y)
        reconstruction = t.sigmoid(logits)
        let perValue = ForwardPass.pixelScale(net.layers.data)
        prior = ForwardPass.prior(t, mean: zMean, logVar: zLogVar, scale: -0.5 * perValue)
        reconstructionLoss = t.affine(t.sum(t.sigmoidCrossEntropy(labels: x, logits: logits)), scale: perValue)
        total = t.add(reconstructionLoss, prior)
    }
}
