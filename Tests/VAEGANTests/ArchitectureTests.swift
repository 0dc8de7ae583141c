import Datasets
import Tensor
import VAEGAN
import XCTest

/// The table of layers against the numbers the notebook's model has (docs/MODEL.md §2), and the
/// weights and shapes built from it.
final class ArchitectureTests: XCTestCase {
    func testParameterCountsAreTheNotebooks() {
        let a = Architecture(latentDim: 8, data: .digits)
        XCTAssertEqual(a.parameterCount(.encoder), 221_264)
        XCTAssertEqual(a.parameterCount(.decoder), 343_297)
        XCTAssertEqual(a.parameterCount([.discriminator, .similarity]), 96_209)
        XCTAssertEqual(a.similarity.parameterCount, 9_232)
        XCTAssertEqual(Architecture(latentDim: 2, data: .digits).parameterCount(.encoder), 221_264 - 2 * 6 * 65)
    }

    /// The same table for colour images at 32 and 64 a side, counted here layer by layer from the
    /// notebook's widths: only the first convolutions (C input channels), the decoder's last (C
    /// outputs), and the layers whose size follows the side (the encoder's and the discriminator's
    /// dense inputs, the decoder's seed) change.
    func testParameterCountsOfColourModelsAtLargerSides() {
        let d = 8, classes = 10, c = 3
        func data(_ side: Int) -> DataDescription {
            DataDescription(classes: DataDescription.digits.classes, side: side, channels: c)
        }
        for side in [32, 64] {
            let a = Architecture(latentDim: d, data: data(side))
            let q = side / 4, f = (side + 7) / 8  // the seed's side; the discriminator's features' side
            let encoder =
                (3 * 3 * c * 32 + 32) + (3 * 3 * 32 * 64 + 64) + ((q * q * 64 + classes) * 64 + 64)
                + 2 * (64 * d + d)
            let decoder =
                ((d + classes) * q * q * 128 + q * q * 128) + (5 * 5 * 128 * 64 + 64) + (3 * 3 * 64 * 32 + 32)
                + (5 * 5 * 32 * c + c)
            let discriminator =
                (7 * 7 * c * 128 + 128) + (3 * 3 * (128 + classes) * 64 + 64) + (f * f * 64 + 1)
            let similarity = 3 * 3 * 64 * 16 + 16
            XCTAssertEqual(a.parameterCount(.encoder), encoder, "\(side)")
            XCTAssertEqual(a.parameterCount(.decoder), decoder, "\(side)")
            XCTAssertEqual(a.parameterCount(.discriminator), discriminator, "\(side)")
            XCTAssertEqual(a.parameterCount(.similarity), similarity, "\(side)")
        }
        // The same sums, evaluated.
        let a32 = Architecture(latentDim: d, data: data(32)), a64 = Architecture(latentDim: d, data: data(64))
        XCTAssertEqual(
            [
                a32.parameterCount(.encoder), a32.parameterCount(.decoder),
                a32.parameterCount([.discriminator, .similarity])
            ],
            [283_280, 381_379, 108_753])
        XCTAssertEqual(
            [
                a64.parameterCount(.encoder), a64.parameterCount(.decoder),
                a64.parameterCount([.discriminator, .similarity])
            ],
            [1_069_712, 848_323, 111_825])
    }

    /// The shapes the table derives, layer by layer, for one image.
    func testShapesFlowFromLayerToLayer() {
        let a = Architecture(latentDim: 8, data: .digits)
        XCTAssertEqual(a.encoderConv1.output, [14, 14, 32])
        XCTAssertEqual(a.encoderConv2.input, [7, 7, 32])
        XCTAssertEqual(a.encoderDense1.kernelShape, [3146, 64])
        XCTAssertEqual(a.decoderDense1.kernelShape, [18, 6272])
        XCTAssertEqual(a.decoderConv1.input, [14, 14, 128])
        XCTAssertEqual(a.decoderConv3.input, [28, 28, 32])
        XCTAssertEqual(a.decoderConv3.output, [28, 28, 1])
        XCTAssertEqual(a.discriminatorConv1.output, [14, 14, 128])
        XCTAssertEqual(a.discriminatorConv2.kernelShape, [3, 3, 138, 64])
        XCTAssertEqual(a.similarity.output, [4, 4, 16])
        XCTAssertEqual(a.discriminatorDense.kernelShape, [1024, 1])
    }

    /// The table at a side that is not a power of two (20: the discriminator's second pool meets
    /// an odd 5x5) and at 64x64 colour.
    func testShapesAtOtherSidesAndChannels() {
        let classes = DataDescription.digits.classes
        let grey20 = Architecture(latentDim: 8, data: DataDescription(classes: classes, side: 20, channels: 1))
        XCTAssertEqual(grey20.encoderConv1.output, [10, 10, 32])
        XCTAssertEqual(grey20.encoderDense1.kernelShape, [5 * 5 * 64 + 10, 64])
        XCTAssertEqual(grey20.decoderSeed, [5, 5, 128])
        XCTAssertEqual(grey20.decoderConv1.input, [10, 10, 128])
        XCTAssertEqual(grey20.decoderConv3.output, [20, 20, 1])
        XCTAssertEqual(grey20.discriminatorConv2.input, [5, 5, 138])
        XCTAssertEqual(grey20.similarity.output, [3, 3, 16])
        XCTAssertEqual(grey20.discriminatorDense.kernelShape, [3 * 3 * 64, 1])
        let colour64 = Architecture(latentDim: 8, data: DataDescription(classes: classes, side: 64, channels: 3))
        XCTAssertEqual(colour64.encoderConv1.kernelShape, [3, 3, 3, 32])
        XCTAssertEqual(colour64.encoderDense1.kernelShape, [16 * 16 * 64 + 10, 64])
        XCTAssertEqual(colour64.decoderDense1.kernelShape, [18, 16 * 16 * 128])
        XCTAssertEqual(colour64.decoderConv3.kernelShape, [5, 5, 32, 3])
        XCTAssertEqual(colour64.decoderConv3.output, [64, 64, 3])
        XCTAssertEqual(colour64.discriminatorConv1.kernelShape, [7, 7, 3, 128])
        XCTAssertEqual(colour64.similarity.output, [8, 8, 16])
        XCTAssertEqual(colour64.discriminatorDense.kernelShape, [8 * 8 * 64, 1])
        XCTAssertEqual(Architecture(latentDim: 8, data: .digits).decoderSeed, [7, 7, 128])
    }

    /// Weights hold exactly the table's tensors, and the networks produce the shapes it says.
    func testWeightsAndNetworksFollowTheTable() {
        var rng = RNG(seed: 1)
        let w = ModelWeights(latentDim: 8, data: .digits, rng: &rng)
        XCTAssertEqual(w.names, w.architecture.tensors.map(\.name))
        XCTAssertEqual(w.parameterCount, w.architecture.layers.reduce(0) { $0 + $1.parameterCount })
        let net = Networks(weights: w, config: ModelConfig(data: .digits), tape: Tape(training: false))
        let x = Variable(Tensor(shape: [2, 28, 28, 1])), y = Variable(Tensor(shape: [2, 10]))
        let (mean, _) = net.encode(x, y)
        XCTAssertEqual(mean.shape, [2] + w.architecture.zMean.output)
        XCTAssertEqual(net.decode(mean, y).shape, [2] + w.architecture.decoderConv3.output)
        let (d, l) = net.discriminate(x, y)
        XCTAssertEqual(d.shape, [2] + w.architecture.discriminatorDense.output)
        XCTAssertEqual(l.shape, [2] + w.architecture.similarity.output)
    }
}
