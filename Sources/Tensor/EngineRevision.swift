/// The revision of the engine's numerics. It goes up with every change that makes the same inputs
/// give other bits on the same kind of machine (a kernel, an order of summation, a generator), and
/// only then. A checkpoint records the revision that wrote it, and a run resumes only on that
/// revision: a resumed run goes on with exactly the numbers it started with, or not at all.
///
///   1  every build before revisions were recorded (checkpoints without one)
///   2  one-input-channel data gradients as sgemm + col2im; one-output-channel convolutions in
///      blocks of images on every thread
///   3  the decoder's conv2 on oneDNN instead of Winograd; the discriminator's conv1 weight
///      gradient as im2col + sgemm
public enum EngineRevision {
    public static let current = 3
    /// What a checkpoint without a recorded revision was written by.
    public static let unrecorded = 1
}
