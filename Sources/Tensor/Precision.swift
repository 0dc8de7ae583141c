import CDNNL

/// The number format of the convolutions' operands.
///
/// `fp32` everywhere is the engine's reference. `bf16` feeds the oneDNN convolutions bfloat16
/// operands (float32's sign and 8-bit exponent, 7 stored mantissa bits) and takes their results in
/// float32: every product is exact in float32 and the sums accumulate there, so what is lost is
/// the rounding of each operand to 8 significant bits (a relative error of at most 2^-9).
/// Weights, gradients, the optimiser's state and every other op stay in float32 (mixed precision).
/// Only CPUs whose instruction set has the bfloat16 dot products (AVX512_BF16) run it: elsewhere
/// oneDNN would emulate them slower than float32, or fall back to its reference loops.
public enum Precision: String, CaseIterable, Codable, Sendable {
    case fp32, bf16

    /// Why this machine cannot run `self`, in one line, or nil. `flags` are the CPU's feature
    /// flags, `kernels` whether oneDNN will run its bf16 kernels (its effective instruction set,
    /// after any ONEDNN_MAX_CPU_ISA cap); both default to this machine's, and tests pass others
    /// to force the check.
    public func problem(flags: Set<String> = CPUCheck.flags(), kernels: Bool = Precision.oneDNNRunsBF16) -> String? {
        guard self == .bf16 else { return nil }
        if !flags.isEmpty && !flags.contains("avx512_bf16") {
            return
                "--precision bf16 needs a CPU with AVX512_BF16 (bfloat16 dot products); this one lacks avx512_bf16: use --precision fp32"
        }
        if !kernels {
            return "--precision bf16 needs oneDNN's avx512_core_bf16 kernels, which are capped off here "
                + "(ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA): use --precision fp32"
        }
        return nil
    }

    /// Whether oneDNN's effective instruction set includes avx512_core_bf16.
    public static var oneDNNRunsBF16: Bool {
        let isa = dnnl_get_effective_cpu_isa().rawValue, bf16 = dnnl_cpu_isa_avx512_core_bf16.rawValue
        return isa & bf16 == bf16
    }
}
