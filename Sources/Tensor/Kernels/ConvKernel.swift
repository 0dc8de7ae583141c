import CDNNL

/// oneDNN convolution primitives (forward, backward-data, backward-weights) for one geometry.
///
/// Activations stay NHWC in our buffers; kernels are HWIO in ours, and are reordered into whatever
/// layout oneDNN picks (`format_tag_any`). Measured here, NHWC activations with `any` weights run
/// the AVX-512 brgemm kernels (~265 GFLOPS on the decoder's 5x5 conv), while NHWC with plain OIHW
/// weights falls back to the reference kernel, 200x slower. `implementations` lets tests check that
/// no primitive resolved to `ref`.
public final class ConvKernel {
    public let geometry: ConvGeometry

    private let forwardPrimitive: dnnl_primitive_t
    private let backwardDataPrimitive: dnnl_primitive_t
    private let backwardWeightsPrimitive: dnnl_primitive_t
    public let implementations: [String: String]

    // Memories over caller buffers.
    private let src, dst, bias, userWeights: dnnl_memory_t
    // Weights in the layouts the primitives chose, with reorders from/to HWIO (nil when equal).
    private let forwardWeights, backwardDataWeights, diffWeights: dnnl_memory_t
    private let toForwardWeights, toBackwardDataWeights, fromDiffWeights: dnnl_primitive_t?

    private static let cache = SharedCache<ConvGeometry, ConvKernel>()

    /// The kernel for `g`, created on first use and kept.
    public static func forGeometry(_ g: ConvGeometry) -> ConvKernel { cache.value(for: g) { ConvKernel(g) } }

    private init(_ g: ConvGeometry) {
        geometry = g
        let srcMD = DNNL.memoryDesc([g.batch, g.inChannels, g.height, g.width], dnnl_nhwc)
        let dstMD = DNNL.memoryDesc([g.batch, g.outChannels, g.outHeight, g.outWidth], dnnl_nhwc)
        let biasMD = DNNL.memoryDesc([g.outChannels], dnnl_x)
        let weightDims = [g.outChannels, g.inChannels, g.kernelHeight, g.kernelWidth]
        let anyWeightsMD = DNNL.memoryDesc(weightDims, dnnl_format_tag_any)
        let userWeightsMD = DNNL.memoryDesc(weightDims, dnnl_hwio)
        let strides: [Int64] = [Int64(g.stride), Int64(g.stride)]
        let padL: [Int64] = [Int64(g.padH.before), Int64(g.padW.before)]
        let padR: [Int64] = [Int64(g.padH.after), Int64(g.padW.after)]

        var s = srcMD, d = dstMD, b = biasMD, w = anyWeightsMD
        var fwdDesc = dnnl_convolution_desc_t()
        DNNL.check(dnnl_convolution_forward_desc_init(&fwdDesc, dnnl_forward_training, dnnl_convolution_direct,
                                                      &s, &w, &b, &d, strides, padL, padR), "conv fwd desc \(g)")
        var fwdPD: dnnl_primitive_desc_t?
        DNNL.check(dnnl_primitive_desc_create(&fwdPD, &fwdDesc, nil, DNNL.engine, nil), "conv fwd pd \(g)")

        var bwdDataDesc = dnnl_convolution_desc_t()
        DNNL.check(dnnl_convolution_backward_data_desc_init(&bwdDataDesc, dnnl_convolution_direct,
                                                            &s, &w, &d, strides, padL, padR), "conv bwd data desc")
        var bwdDataPD: dnnl_primitive_desc_t?
        DNNL.check(dnnl_primitive_desc_create(&bwdDataPD, &bwdDataDesc, nil, DNNL.engine, fwdPD), "conv bwd data pd \(g)")

        var bwdWeightsDesc = dnnl_convolution_desc_t()
        DNNL.check(dnnl_convolution_backward_weights_desc_init(&bwdWeightsDesc, dnnl_convolution_direct,
                                                               &s, &w, &b, &d, strides, padL, padR), "conv bwd weights desc")
        var bwdWeightsPD: dnnl_primitive_desc_t?
        DNNL.check(dnnl_primitive_desc_create(&bwdWeightsPD, &bwdWeightsDesc, nil, DNNL.engine, fwdPD), "conv bwd weights pd \(g)")

        implementations = [
            "forward": DNNL.implementation(fwdPD!),
            "backward_data": DNNL.implementation(bwdDataPD!),
            "backward_weights": DNNL.implementation(bwdWeightsPD!),
        ]
        forwardPrimitive = DNNL.primitive(fwdPD!)
        backwardDataPrimitive = DNNL.primitive(bwdDataPD!)
        backwardWeightsPrimitive = DNNL.primitive(bwdWeightsPD!)

        src = DNNL.memory(srcMD)
        dst = DNNL.memory(dstMD)
        bias = DNNL.memory(biasMD)
        userWeights = DNNL.memory(userWeightsMD)
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
    private func weights(_ w: UnsafeMutablePointer<Float>, _ reorder: dnnl_primitive_t?, _ primitiveWeights: dnnl_memory_t) -> dnnl_memory_t {
        DNNL.setHandle(userWeights, w)
        guard let reorder else { return userWeights }
        DNNL.runReorder(reorder, from: userWeights, to: primitiveWeights)
        return primitiveWeights
    }

    /// y = conv(x, w) + b.
    public func forward(x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>,
                        y: UnsafeMutablePointer<Float>) {
        let wm = weights(w, toForwardWeights, forwardWeights)
        DNNL.setHandle(src, x); DNNL.setHandle(bias, b); DNNL.setHandle(dst, y)
        DNNL.execute(forwardPrimitive, [(DNNL_ARG_SRC, src), (DNNL_ARG_WEIGHTS, wm), (DNNL_ARG_BIAS, bias), (DNNL_ARG_DST, dst)])
    }

    /// dx = conv_transpose(dy, w), overwriting dx.
    public func backwardData(dy: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        let wm = weights(w, toBackwardDataWeights, backwardDataWeights)
        DNNL.setHandle(dst, dy); DNNL.setHandle(src, dx)
        DNNL.execute(backwardDataPrimitive, [(DNNL_ARG_DIFF_DST, dst), (DNNL_ARG_WEIGHTS, wm), (DNNL_ARG_DIFF_SRC, src)])
    }

    /// dw, db from x and dy, overwriting dw (HWIO) and db.
    public func backwardWeights(x: UnsafeMutablePointer<Float>, dy: UnsafeMutablePointer<Float>,
                                dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>) {
        DNNL.setHandle(src, x); DNNL.setHandle(dst, dy); DNNL.setHandle(bias, db)
        DNNL.setHandle(userWeights, dw)
        let target = fromDiffWeights == nil ? userWeights : diffWeights
        DNNL.execute(backwardWeightsPrimitive, [(DNNL_ARG_SRC, src), (DNNL_ARG_DIFF_DST, dst),
                                                (DNNL_ARG_DIFF_WEIGHTS, target), (DNNL_ARG_DIFF_BIAS, bias)])
        if let reorder = fromDiffWeights { DNNL.runReorder(reorder, from: diffWeights, to: userWeights) }
    }
}
