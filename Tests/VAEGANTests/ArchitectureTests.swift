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
