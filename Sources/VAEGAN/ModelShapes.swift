import Tensor

/// Every convolution of the three networks at the batch sizes the trainer runs them:
/// encoder N, decoder 2N ([enc(x); z_p]), discriminator 3N ([x; dec(enc(x)); dec(z_p)]).
/// decoder.conv1, a 5x5 128->64 conv of the 14x14 upsampling of a 7x7 input, runs as the 3x3
/// 128->4x64 conv of the 7x7 input it folds into (`Tape.upsampledConv2d`). `winograd`: whether
/// the layer allows Winograd's algorithm (`Networks.winogradLayers`).
public enum ModelShapes {
    public static func convolutions(batch n: Int, classes: Int = 10) -> [(name: String, geometry: ConvGeometry, winograd: Bool)] {
        func g(_ b: Int, _ hw: Int, _ cin: Int, _ k: Int, _ cout: Int, _ s: Int) -> ConvGeometry {
            ConvGeometry(batch: b, height: hw, width: hw, inChannels: cin, kernelHeight: k, kernelWidth: k, outChannels: cout, stride: s)
        }
        let layers: [(String, ConvGeometry)] = [
            ("encoder.conv1", g(n, 28, 1, 3, 32, 2)),
            ("encoder.conv2", g(n, 7, 32, 3, 64, 1)),
            ("decoder.conv1", g(2 * n, 7, 128, 3, 4 * 64, 1)),
            ("decoder.conv2", g(2 * n, 14, 64, 3, 32, 1)),
            ("decoder.conv3", g(2 * n, 28, 32, 5, 1, 1)),
            ("discriminator.conv1", g(3 * n, 28, 1, 7, 128, 2)),
            ("discriminator.conv2", g(3 * n, 7, 128 + classes, 3, 64, 1)),
            ("discriminator.l_conv", g(3 * n, 4, 64, 3, 16, 1)),
        ]
        return layers.map { name, geometry in
            (name == "decoder.conv1" ? "decoder.conv1 (folded)" : name, geometry, Networks.winogradLayers.contains(name))
        }
    }
}
