import Foundation
import Tensor
import TestSupport
import VAEGAN

/// The VAE+GAN's forward pass and losses (docs/MODEL.md §2-3) in float64, written from the
/// networks' definitions with plain loops and no engine code but the layer table: what the
/// engine's float32 pass at any image shape is held to, and what finite differences of its losses
/// check the engine's gradients against. Dropout is off (rate 0), as the TensorFlow fixtures run.
struct ModelReference {
    let architecture: Architecture
    /// Every weight tensor by name, in float64.
    var weights: [String: R]
    let alpha = 0.3

    init(_ weights: ModelWeights) {
        architecture = weights.architecture
        self.weights = weights.tensors.mapValues(R.init)
    }

    /// The three losses of `variant` and the tensors they come from.
    struct Pass {
        var prior = 0.0, gan = 0.0, disLlike = 0.0
        var reconstruction = R(zeros: [0]), lReal = R(zeros: [0])
    }

    /// The forward pass over one batch: x [N,S,S,C], one-hot y, z_p and eps [N, latent].
    func pass(x: R, y: R, zp: R, eps: R, variant: LossVariant) -> Pass {
        let n = x.shape[0]
        let (mean, logVar) = encode(x, y)
        // z = mu + exp(clip(lv / 2, -2, 2)) * eps
        var z = mean
        for i in z.values.indices {
            z.values[i] += Foundation.exp(min(max(logVar.values[i] / 2, -2), 2)) * eps.values[i]
        }
        let reconstruction = sigmoid(decode(z, y)), generated = sigmoid(decode(zp, y))
        let real = discriminate(x, y), rec = discriminate(reconstruction, y), gen = discriminate(generated, y)
        let perValue = 1 / Double(architecture.data.pixels)
        var out = Pass()
        var kl = 0.0
        for (m, v) in zip(mean.values, logVar.values) {
            let c = min(max(v, -2), 2)
            kl += 1 + c - m * m - Foundation.exp(c)
        }
        out.prior = (variant == .figures ? -0.125 : -0.5) * kl * perValue
        var bracket = 0.0
        for i in 0..<n {
            bracket +=
                Foundation.log(real.d.values[i] + 1e-10) + 2 * Foundation.log(1 - gen.d.values[i] + 1e-10)
                + Foundation.log(1 - rec.d.values[i] + 1e-10)
        }
        out.gan = -0.25 * bracket * (variant == .printed ? perValue : 1 / Double(n))
        var llike = 0.0
        for (a, b) in zip(real.l.values, rec.l.values) {
            if variant == .published {
                llike += (a - b) * (a - b)
            } else {  // sigmoid_xent(labels: sigmoid(a), logits: b)
                let t = 1 / (1 + Foundation.exp(-a))
                llike += max(b, 0) - b * t + Foundation.log(1 + Foundation.exp(-abs(b)))
            }
        }
        out.disLlike = llike * perValue
        out.reconstruction = reconstruction
        out.lReal = real.l
        return out
    }

    // MARK: the networks

    func encode(_ x: R, _ y: R) -> (mean: R, logVar: R) {
        let a = architecture
        var h = Reference.maxPool2x2(leaky(conv(x, a.encoderConv1))).y
        h = flatten(leaky(conv(h, a.encoderConv2)))
        h = leaky(dense(Reference.concatLast(h, y), a.encoderDense1))
        return (dense(h, a.zMean), dense(h, a.zLogVar))
    }

    /// The decoder's logits [N, S, S, C].
    func decode(_ z: R, _ y: R) -> R {
        let a = architecture
        var h = leaky(dense(Reference.concatLast(z, y), a.decoderDense1))
        h.shape = [z.shape[0]] + a.decoderSeed
        h = leaky(conv(Reference.upsample2x(h), a.decoderConv1))
        h = leaky(Reference.upsample2x(conv(h, a.decoderConv2)))
        return conv(h, a.decoderConv3)
    }

    func discriminate(_ x: R, _ y: R) -> (d: R, l: R) {
        let a = architecture
        let pooled = leaky(Reference.maxPool2x2(conv(x, a.discriminatorConv1)).y)
        var h = Reference.concatLast(
            pooled, Reference.broadcastSpatial(y, height: pooled.shape[1], width: pooled.shape[2]))
        h = leaky(Reference.maxPool2x2(conv(h, a.discriminatorConv2)).y)
        let l = conv(h, a.similarity)
        return (sigmoid(dense(flatten(leaky(h)), a.discriminatorDense)), l)
    }

    // MARK: layers

    func kernel(_ layer: Layer) -> R { weights[layer.name + ".kernel"]! }
    func bias(_ layer: Layer) -> R { weights[layer.name + ".bias"]! }

    func dense(_ x: R, _ layer: Layer) -> R { Reference.dense(x, kernel(layer), bias(layer)) }

    /// The layer's 'same' convolution (its input upsampled by the caller where the table says so).
    func conv(_ x: R, _ layer: Layer) -> R {
        guard case .conv(_, let stride, _, _) = layer.kind else { preconditionFailure("\(layer.name) is dense") }
        return Self.conv2d(x, kernel(layer), bias(layer), stride: stride)
    }

    func leaky(_ x: R) -> R { R(shape: x.shape, values: x.values.map { max($0, 0) - alpha * max(-$0, 0) }) }
    func sigmoid(_ x: R) -> R { R(shape: x.shape, values: x.values.map { 1 / (1 + Foundation.exp(-$0)) }) }
    func flatten(_ x: R) -> R { R(shape: [x.shape[0], x.count / x.shape[0]], values: x.values) }

    /// `Reference.conv2d`'s sum (TensorFlow's 'same' padding, NHWC, HWIO), its loops ordered so that
    /// the innermost runs along the output channels: the decoder's 5x5 128->64 layer at 32x32 is
    /// 200 million multiply-adds per pass, and the gradient checks run dozens of passes.
    static func conv2d(_ x: R, _ w: R, _ b: R, stride s: Int) -> R {
        let g = ConvGeometry(input: x.shape, kernel: w.shape, stride: s)
        var y = R(zeros: g.outputShape)
        let (ci, co, h, wd) = (g.inChannels, g.outChannels, g.height, g.width)
        let (top, left) = (g.padH.before, g.padW.before)
        x.values.withUnsafeBufferPointer { xv in
            w.values.withUnsafeBufferPointer { wv in
                y.values.withUnsafeMutableBufferPointer { yv in
                    for n in 0..<g.batch {
                        for oi in 0..<g.outHeight {
                            for oj in 0..<g.outWidth {
                                let out = ((n * g.outHeight + oi) * g.outWidth + oj) * co
                                for o in 0..<co { yv[out + o] = b.values[o] }
                                for ki in 0..<g.kernelHeight {
                                    let ii = oi * s + ki - top
                                    guard ii >= 0 && ii < h else { continue }
                                    for kj in 0..<g.kernelWidth {
                                        let jj = oj * s + kj - left
                                        guard jj >= 0 && jj < wd else { continue }
                                        for c in 0..<ci {
                                            let v = xv[((n * h + ii) * wd + jj) * ci + c]
                                            let row = ((ki * g.kernelWidth + kj) * ci + c) * co
                                            for o in 0..<co { yv[out + o] += v * wv[row + o] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }
}
