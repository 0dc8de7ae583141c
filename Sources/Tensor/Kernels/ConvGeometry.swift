/// Shapes of a 2-D convolution with TensorFlow's 'same' padding, NHWC activations and HWIO kernels.
public struct ConvGeometry: Hashable, Sendable, CustomStringConvertible {
    public let batch: Int, height: Int, width: Int, inChannels: Int
    public let kernelHeight: Int, kernelWidth: Int, outChannels: Int
    public let stride: Int

    public init(
        batch: Int, height: Int, width: Int, inChannels: Int,
        kernelHeight: Int, kernelWidth: Int, outChannels: Int, stride: Int
    ) {
        self.batch = batch; self.height = height; self.width = width; self.inChannels = inChannels
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth; self.outChannels = outChannels
        self.stride = stride
    }

    /// From an NHWC input shape and an HWIO kernel shape.
    public init(input x: [Int], kernel w: [Int], stride: Int) {
        precondition(x.count == 4 && w.count == 4 && x[3] == w[2], "conv: input \(x) does not fit kernel \(w)")
        self.init(
            batch: x[0], height: x[1], width: x[2], inChannels: x[3],
            kernelHeight: w[0], kernelWidth: w[1], outChannels: w[3], stride: stride)
    }

    public var outHeight: Int { SamePadding(input: height, kernel: kernelHeight, stride: stride).output }
    public var outWidth: Int { SamePadding(input: width, kernel: kernelWidth, stride: stride).output }
    public var padH: SamePadding { SamePadding(input: height, kernel: kernelHeight, stride: stride) }
    public var padW: SamePadding { SamePadding(input: width, kernel: kernelWidth, stride: stride) }

    public var inputShape: [Int] { [batch, height, width, inChannels] }
    public var kernelShape: [Int] { [kernelHeight, kernelWidth, inChannels, outChannels] }
    public var outputShape: [Int] { [batch, outHeight, outWidth, outChannels] }

    /// Multiply-adds times two, for one forward pass (each backward costs the same).
    public var flops: Double {
        2 * Double(batch * outHeight * outWidth * outChannels) * Double(kernelHeight * kernelWidth * inChannels)
    }

    public var description: String {
        "\(kernelHeight)x\(kernelWidth)/\(stride) \(inChannels)->\(outChannels) \(height)x\(width) N=\(batch)"
    }
}

/// TensorFlow's 'same' padding along one axis: output = ceil(input / stride), total padding
/// max(0, (output-1)*stride + kernel - input), the smaller half before and the extra after.
public struct SamePadding: Equatable, Sendable {
    public let output: Int, before: Int, after: Int

    public init(input: Int, kernel: Int, stride: Int) {
        output = (input + stride - 1) / stride
        let total = max(0, (output - 1) * stride + kernel - input)
        before = total / 2
        after = total - before
    }
}
