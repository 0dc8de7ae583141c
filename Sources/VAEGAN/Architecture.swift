import Datasets
import Tensor

/// The optimiser groups of the VAE+GAN's parameters (each trained by its own RMSProp).
public extension ParamGroup {
    static let encoder = ParamGroup(bit: 0)
    static let decoder = ParamGroup(bit: 1)
    static let discriminator = ParamGroup(bit: 2)
    /// The discriminator's `l` conv: not on the path to D's output, trained only on request.
    static let similarity = ParamGroup(bit: 3)
}

/// One layer with weights: its name (the checkpoint's tensors are `<name>.kernel` and
/// `<name>.bias`), what it computes, the shape of one example's input, and its optimiser group.
public struct Layer: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A 'same' convolution: kernel side, stride, output channels; `upsampled` when its input
        /// is the nearest-neighbour x2 upsampling of the previous activation (run folded, without
        /// building the upsampled image).
        case conv(kernel: Int, stride: Int, outputs: Int, upsampled: Bool = false)
        case dense(outputs: Int)
    }

    public let name: String
    public let kind: Kind
    /// One example's input: [height, width, channels] for a convolution (after any upsampling),
    /// [features] for a dense layer.
    public let input: [Int]
    public let group: ParamGroup
    /// Whether the convolution may run as Winograd F(4x4, 3x3): only where its input never has an
    /// all-zero 3x3 window (see `ConvPasses`).
    public let winograd: Bool

    init(_ name: String, _ kind: Kind, input: [Int], group: ParamGroup, winograd: Bool = false) {
        self.name = name; self.kind = kind; self.input = input; self.group = group; self.winograd = winograd
    }

    /// HWIO for a convolution, (in, out) for a dense layer.
    public var kernelShape: [Int] {
        switch kind {
        case .conv(let k, _, let outputs, _): return [k, k, input[2], outputs]
        case .dense(let outputs): return [input[0], outputs]
        }
    }

    public var biasShape: [Int] { [kernelShape.last!] }

    /// One example's output: [height, width, channels] or [features].
    public var output: [Int] {
        switch kind {
        case .conv(let k, let stride, let outputs, _):
            return [
                SamePadding(input: input[0], kernel: k, stride: stride).output,
                SamePadding(input: input[1], kernel: k, stride: stride).output, outputs
            ]
        case .dense(let outputs): return [outputs]
        }
    }

    public var outputCount: Int { output.reduce(1, *) }
    public var parameterCount: Int { kernelShape.reduce(1, *) + biasShape[0] }

    /// The convolution's shapes at a batch size (nil for a dense layer).
    public func geometry(batch n: Int) -> ConvGeometry? {
        guard case .conv(_, let stride, _, _) = kind else { return nil }
        return ConvGeometry(input: [n] + input, kernel: kernelShape, stride: stride)
    }
}

/// The three networks' layers, each written once; the weights, the checkpoint's tensor names, the
/// parameter counts, the benchmark's convolutions and the tests are built from this table, and
/// `Networks` wires these layers (docs/MODEL.md §2). The table is the notebook's at any image side
/// S (a multiple of 4) and channel count C of `data`: the first convolutions of the encoder and the
/// discriminator read C channels, the decoder draws C, and every spatial size follows from S.
public struct Architecture: Sendable {
    public let latentDim: Int
    /// What the data is: the label inputs take `data.classes.count`, the images its shape.
    public let data: DataDescription
    public let encoderConv1, encoderConv2, encoderDense1, zMean, zLogVar: Layer
    public let decoderDense1, decoderConv1, decoderConv2, decoderConv3: Layer
    public let discriminatorConv1, discriminatorConv2, similarity, discriminatorDense: Layer

    /// The decoder reshapes its first dense layer's output to this: S/4 x S/4 x 128 (7x7x128 for
    /// MNIST), which two x2 upsamplings bring to S.
    public let decoderSeed: [Int]

    public init(latentDim: Int, data: DataDescription) {
        self.latentDim = latentDim
        self.data = data
        let classes = data.classes.count
        let side = data.side
        // Encoder: conv 3x3/2 (S->S/2) · max-pool (->S/4) · conv 3x3 · flatten · concat label · dense · two heads.
        encoderConv1 = Layer(
            "encoder.conv1", .conv(kernel: 3, stride: 2, outputs: 32), input: [side, side, data.channels],
            group: .encoder)
        let pooled = encoderConv1.output.halvedSpatially
        encoderConv2 = Layer("encoder.conv2", .conv(kernel: 3, stride: 1, outputs: 64), input: pooled, group: .encoder)
        encoderDense1 = Layer(
            "encoder.dense1", .dense(outputs: 64), input: [encoderConv2.outputCount + classes], group: .encoder)
        zMean = Layer("encoder.z_mean", .dense(outputs: latentDim), input: encoderDense1.output, group: .encoder)
        zLogVar = Layer("encoder.z_log_var", .dense(outputs: latentDim), input: encoderDense1.output, group: .encoder)
        // Decoder: concat label · dense · reshape S/4 x S/4 x 128 · up x2 · conv 5x5 · conv 3x3 · up x2 ·
        // conv 5x5 (C channels).
        precondition(side % 4 == 0, "the decoder doubles a side/4 seed twice: side \(side) is not a multiple of 4")
        let seed = [side / 4, side / 4, 128]
        decoderSeed = seed
        decoderDense1 = Layer(
            "decoder.dense1", .dense(outputs: seed.reduce(1, *)), input: [latentDim + classes], group: .decoder)
        decoderConv1 = Layer(
            "decoder.conv1", .conv(kernel: 5, stride: 1, outputs: 64, upsampled: true),
            input: seed.doubledSpatially, group: .decoder, winograd: true)
        decoderConv2 = Layer(
            "decoder.conv2", .conv(kernel: 3, stride: 1, outputs: 32), input: decoderConv1.output,
            group: .decoder, winograd: false)
        decoderConv3 = Layer(
            "decoder.conv3", .conv(kernel: 5, stride: 1, outputs: data.channels, upsampled: false),
            input: decoderConv2.output.doubledSpatially, group: .decoder)
        // Discriminator: conv 7x7/2 · max-pool · concat label planes · conv 3x3 · max-pool · l conv | dense.
        discriminatorConv1 = Layer(
            "discriminator.conv1", .conv(kernel: 7, stride: 2, outputs: 128), input: [side, side, data.channels],
            group: .discriminator)
        let withLabels = discriminatorConv1.output.halvedSpatially.addingChannels(classes)
        // Its input carries the label's one-hot planes everywhere, so no 3x3 window is all zeros.
        discriminatorConv2 = Layer(
            "discriminator.conv2", .conv(kernel: 3, stride: 1, outputs: 64), input: withLabels,
            group: .discriminator, winograd: true)
        let features = discriminatorConv2.output.halvedSpatially
        similarity = Layer(
            "discriminator.l_conv", .conv(kernel: 3, stride: 1, outputs: 16), input: features, group: .similarity)
        discriminatorDense = Layer(
            "discriminator.d_dense", .dense(outputs: 1), input: [features.reduce(1, *)], group: .discriminator)
    }

    /// Every layer, in the order of the reference implementation's checkpoints.
    public var layers: [Layer] {
        let encoder = [encoderConv1, encoderConv2, encoderDense1, zMean, zLogVar]
        let decoder = [decoderDense1, decoderConv1, decoderConv2, decoderConv3]
        return encoder + decoder + [discriminatorConv1, discriminatorConv2, similarity, discriminatorDense]
    }

    /// Every weight tensor by name, with its shape and group, in table order.
    public var tensors: [(name: String, shape: [Int], group: ParamGroup)] {
        layers.flatMap {
            [($0.name + ".kernel", $0.kernelShape, $0.group), ($0.name + ".bias", $0.biasShape, $0.group)]
        }
    }

    /// Parameters of the layers in `group`.
    public func parameterCount(_ group: ParamGroup) -> Int {
        layers.filter { group.contains($0.group) }.reduce(0) { $0 + $1.parameterCount }
    }

    /// How many images a layer sees in one training pass over a batch of n: the encoder n, the
    /// decoder 2n ([enc(x); z_p]), the discriminator 3n ([x; dec(enc(x)); dec(z_p)]).
    public func trainingBatch(_ layer: Layer, batch n: Int) -> Int {
        switch layer.group {
        case .encoder: return n
        case .decoder: return 2 * n
        default: return 3 * n
        }
    }
}

extension Array where Element == Int {
    /// [h, w, c] -> [ceil(h/2), ceil(w/2), c]: a 2x2 'same' max-pool.
    var halvedSpatially: [Int] { [(self[0] + 1) / 2, (self[1] + 1) / 2, self[2]] }
    /// [h, w, c] -> [2h, 2w, c]: a nearest-neighbour x2 upsampling.
    var doubledSpatially: [Int] { [2 * self[0], 2 * self[1], self[2]] }
    func addingChannels(_ n: Int) -> [Int] { [self[0], self[1], self[2] + n] }
}
