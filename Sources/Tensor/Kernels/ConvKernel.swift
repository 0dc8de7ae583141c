import CDNNL

/// oneDNN convolution primitives (forward, backward-data, backward-weights) for one geometry and
/// one operand precision.
///
/// Activations stay NHWC in our buffers; kernels are HWIO in ours, and are reordered into whatever
/// layout oneDNN picks (`format_tag_any`). Measured here, NHWC activations with `any` weights run
/// the AVX-512 brgemm kernels (~265 GFLOPS on the decoder's 5x5 conv), while NHWC with plain OIHW
/// weights falls back to the reference kernel, 200x slower. `implementations` lets tests check that
/// no primitive resolved to `ref`.
///
/// In `bf16` the operands of each pass (input, kernel, output gradient) are rounded to bfloat16
/// on the way in (oneDNN reorders, round to nearest even) and every result (output, input
/// gradient, kernel and bias gradients) comes back in float32: the callers see float32 buffers
/// in both precisions.
public final class ConvKernel {
    public let geometry: ConvGeometry
    public let precision: Precision

    private let forwardPrimitive: dnnl_primitive_t
    private let backwardDataPrimitive: dnnl_primitive_t
    private let backwardWeightsPrimitive: dnnl_primitive_t
    public let implementations: [String: String]

    // Memories over caller buffers (float32) and, in bf16, over the rounded copies.
    private let input, output, bias, userWeights: dnnl_memory_t
    private let lowInput, lowOutput: dnnl_memory_t
    // f32 -> operand precision for the input and the output gradient (nil in fp32).
    private let toLowInput, toLowOutput: dnnl_primitive_t?
    // Weights in the layouts the primitives chose, with reorders from/to HWIO (nil when equal).
    private let forwardWeights, backwardDataWeights, diffWeights: dnnl_memory_t
    private let toForwardWeights, toBackwardDataWeights, fromDiffWeights: dnnl_primitive_t?

    private struct Key: Hashable { let geometry: ConvGeometry, precision: Precision }
    private static let cache = SharedCache<Key, ConvKernel>()

    /// The kernel for `g` in `precision`, created on first use and kept.
    public static func forGeometry(_ g: ConvGeometry, precision: Precision = .fp32) -> ConvKernel {
        cache.value(for: Key(geometry: g, precision: precision)) { ConvKernel(g, precision: precision) }
    }

    private init(_ g: ConvGeometry, precision: Precision) {
        geometry = g
        self.precision = precision
        let low = precision == .bf16 ? dnnl_bf16 : dnnl_f32
        let inputDims = [g.batch, g.inChannels, g.height, g.width]
        let outputDims = [g.batch, g.outChannels, g.outHeight, g.outWidth]
        let inputMD = DNNL.memoryDesc(inputDims, dnnl_nhwc), lowInputMD = DNNL.memoryDesc(inputDims, dnnl_nhwc, low)
        let outputMD = DNNL.memoryDesc(outputDims, dnnl_nhwc), lowOutputMD = DNNL.memoryDesc(outputDims, dnnl_nhwc, low)
        let biasMD = DNNL.memoryDesc([g.outChannels], dnnl_x)
        let weightDims = [g.outChannels, g.inChannels, g.kernelHeight, g.kernelWidth]
        let lowWeightsMD = DNNL.memoryDesc(weightDims, dnnl_format_tag_any, low)
        let anyWeightsMD = DNNL.memoryDesc(weightDims, dnnl_format_tag_any)
        let userWeightsMD = DNNL.memoryDesc(weightDims, dnnl_hwio)
        let strides: [Int64] = [Int64(g.stride), Int64(g.stride)]
        let padL: [Int64] = [Int64(g.padH.before), Int64(g.padW.before)]
        let padR: [Int64] = [Int64(g.padH.after), Int64(g.padW.after)]

        // forward: low input and kernel, float32 bias and output.
        var s = lowInputMD, w = lowWeightsMD, b = biasMD, d = outputMD
        var fwdDesc = dnnl_convolution_desc_t()
        DNNL.check(
            dnnl_convolution_forward_desc_init(
                &fwdDesc, dnnl_forward_training, dnnl_convolution_direct,
                &s, &w, &b, &d, strides, padL, padR), "conv fwd desc \(g)")
        var fwdPD: dnnl_primitive_desc_t?
        DNNL.check(dnnl_primitive_desc_create(&fwdPD, &fwdDesc, nil, DNNL.engine, nil), "conv fwd pd \(g)")

        // backward-data: low output gradient and kernel, float32 input gradient.
        var diffSrc = inputMD, bw = lowWeightsMD, diffDst = lowOutputMD
        var bwdDataDesc = dnnl_convolution_desc_t()
        DNNL.check(
            dnnl_convolution_backward_data_desc_init(
                &bwdDataDesc, dnnl_convolution_direct,
                &diffSrc, &bw, &diffDst, strides, padL, padR), "conv bwd data desc")
        var bwdDataPD: dnnl_primitive_desc_t?
        DNNL.check(
            dnnl_primitive_desc_create(&bwdDataPD, &bwdDataDesc, nil, DNNL.engine, fwdPD), "conv bwd data pd \(g)")

        // backward-weights: low input and output gradient, float32 kernel and bias gradients.
        var ws = lowInputMD, dw = anyWeightsMD, db = biasMD, wd = lowOutputMD
        var bwdWeightsDesc = dnnl_convolution_desc_t()
        DNNL.check(
            dnnl_convolution_backward_weights_desc_init(
                &bwdWeightsDesc, dnnl_convolution_direct,
                &ws, &dw, &db, &wd, strides, padL, padR), "conv bwd weights desc")
        var bwdWeightsPD: dnnl_primitive_desc_t?
        DNNL.check(
            dnnl_primitive_desc_create(&bwdWeightsPD, &bwdWeightsDesc, nil, DNNL.engine, fwdPD),
            "conv bwd weights pd \(g)")

        implementations = [
            "forward": DNNL.implementation(fwdPD!),
            "backward_data": DNNL.implementation(bwdDataPD!),
            "backward_weights": DNNL.implementation(bwdWeightsPD!)
        ]
        forwardPrimitive = DNNL.primitive(fwdPD!)
        backwardDataPrimitive = DNNL.primitive(bwdDataPD!)
        backwardWeightsPrimitive = DNNL.primitive(bwdWeightsPD!)

        input = DNNL.memory(inputMD)
        output = DNNL.memory(outputMD)
        bias = DNNL.memory(biasMD)
        userWeights = DNNL.memory(userWeightsMD)
        lowInput = DNNL.memory(lowInputMD)
        lowOutput = DNNL.memory(lowOutputMD)
        var inMD = inputMD, lowInMD = lowInputMD, outMD = outputMD, lowOutMD = lowOutputMD
        toLowInput = DNNL.reorder(from: &inMD, to: &lowInMD)
        toLowOutput = DNNL.reorder(from: &outMD, to: &lowOutMD)
        var user = userWeightsMD
        let fwdW = dnnl_primitive_desc_query_md(fwdPD, dnnl_query_weights_md, 0)!
        let bwdW = dnnl_primitive_desc_query_md(bwdDataPD, dnnl_query_weights_md, 0)!
        let diffW = dnnl_primitive_desc_query_md(bwdWeightsPD, dnnl_query_diff_weights_md, 0)!
        forwardWeights = DNNL.ownedMemory(fwdW)
        backwardDataWeights = DNNL.ownedMemory(bwdW)
        diffWeights = DNNL.ownedMemory(diffW)
        toForwardWeights = DNNL.reorder(from: &user, to: fwdW)
        toBackwardDataWeights = DNNL.reorder(from: &user, to: bwdW)
        fromDiffWeights = DNNL.reorder(from: diffW, to: &user)
        dnnl_primitive_desc_destroy(fwdPD)
        dnnl_primitive_desc_destroy(bwdDataPD)
        dnnl_primitive_desc_destroy(bwdWeightsPD)
    }

    /// The kernel in the layout `primitiveWeights` expects: reordered into it, or used in place.
    private func weights(
        _ w: UnsafeMutablePointer<Float>, _ reorder: dnnl_primitive_t?, _ primitiveWeights: dnnl_memory_t
    ) -> dnnl_memory_t {
        DNNL.setHandle(userWeights, w)
        guard let reorder else { return userWeights }
        DNNL.runReorder(reorder, from: userWeights, to: primitiveWeights)
        return primitiveWeights
    }

    /// A float32 activation (`memory` over `data`) as the primitives take it: itself in fp32; in
    /// bf16 rounded into `scratch` (a tensor of at least half as many floats) through `reorder`.
    private func operand(
        _ data: UnsafeMutablePointer<Float>, _ memory: dnnl_memory_t, _ reorder: dnnl_primitive_t?,
        _ low: dnnl_memory_t, scratch: Tensor?
    ) -> dnnl_memory_t {
        DNNL.setHandle(memory, data)
        guard let reorder, let scratch else { return memory }
        DNNL.setHandle(low, scratch.data)
        DNNL.runReorder(reorder, from: memory, to: low)
        return low
    }

    /// Room for one activation of `count` values in the operand precision (nil in fp32).
    private func scratch(_ count: Int) -> Tensor? {
        precision == .bf16 ? Tensor(shape: [(count + 1) / 2], uninitialized: true) : nil
    }

    /// y = conv(x, w) + b.
    public func forward(
        x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
        y: UnsafeMutablePointer<Float>
    ) {
        let wm = weights(w, toForwardWeights, forwardWeights)
        let room = scratch(geometry.inputShape.reduce(1, *))
        let xm = operand(x, input, toLowInput, lowInput, scratch: room)
        DNNL.setHandle(bias, b); DNNL.setHandle(output, y)
        DNNL.execute(
            forwardPrimitive,
            [(DNNL_ARG_SRC, xm), (DNNL_ARG_WEIGHTS, wm), (DNNL_ARG_BIAS, bias), (DNNL_ARG_DST, output)])
        withExtendedLifetime(room) {}
    }

    /// dx = conv_transpose(dy, w), overwriting dx.
    public func backwardData(
        dy: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>
    ) {
        let wm = weights(w, toBackwardDataWeights, backwardDataWeights)
        let room = scratch(geometry.outputShape.reduce(1, *))
        let dym = operand(dy, output, toLowOutput, lowOutput, scratch: room)
        DNNL.setHandle(input, dx)
        DNNL.execute(
            backwardDataPrimitive, [(DNNL_ARG_DIFF_DST, dym), (DNNL_ARG_WEIGHTS, wm), (DNNL_ARG_DIFF_SRC, input)])
        withExtendedLifetime(room) {}
    }

    /// dw, db from x and dy, overwriting dw (HWIO) and db.
    public func backwardWeights(
        x: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>,
        dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>
    ) {
        let inputRoom = scratch(geometry.inputShape.reduce(1, *)),
            outputRoom = scratch(geometry.outputShape.reduce(1, *))
        let xm = operand(x, input, toLowInput, lowInput, scratch: inputRoom)
        let dym = operand(dy, output, toLowOutput, lowOutput, scratch: outputRoom)
        DNNL.setHandle(bias, db)
        DNNL.setHandle(userWeights, dw)
        let target = fromDiffWeights == nil ? userWeights : diffWeights
        DNNL.execute(
            backwardWeightsPrimitive,
            [
                (DNNL_ARG_SRC, xm), (DNNL_ARG_DIFF_DST, dym),
                (DNNL_ARG_DIFF_WEIGHTS, target), (DNNL_ARG_DIFF_BIAS, bias)
            ])
        if let reorder = fromDiffWeights { DNNL.runReorder(reorder, from: diffWeights, to: userWeights) }
        withExtendedLifetime((inputRoom, outputRoom)) {}
    }
}
