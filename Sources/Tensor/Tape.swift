/// Which optimiser a parameter belongs to, as a set of up to 8 groups that the model names. A
/// value on the tape carries the union of the groups it depends on, so a backward pass can skip
/// every op that leads to no parameter it was asked for.
public struct ParamGroup: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// The group of bit `bit` (0...7).
    public init(bit: Int) {
        precondition((0..<8).contains(bit), "a parameter group is one of 8 bits")
        rawValue = 1 << UInt8(bit)
    }
}

/// A value on the tape: a tensor, the groups it depends on, and (during a backward pass) the
/// gradient of the loss being differentiated with respect to it.
public final class Variable {
    public let value: Tensor
    public let groups: ParamGroup
    /// dLoss/dValue, allocated on the first accumulation of a backward pass.
    public internal(set) var grad: Tensor?
    /// Set by `Tape.backward`: whether this value leads to a parameter being differentiated.
    public internal(set) var needsGrad = false

    /// A constant (data) or, with groups, a trainable parameter.
    public init(_ value: Tensor, groups: ParamGroup = []) {
        self.value = value
        self.groups = groups
    }

    public var shape: [Int] { value.shape }

    /// The gradient buffer, created zero-filled when first needed. Backward functions add into it.
    public func gradBuffer() -> Tensor {
        if let g = grad { return g }
        let g = Tensor(shape: value.shape)
        grad = g
        return g
    }

    /// Forget the gradient (before a new backward pass, or once an optimiser has used it).
    public func clearGrad() { grad = nil }

    /// Add a gradient contribution with a loop that can either store (first contribution, the
    /// buffer is then uninitialised) or add: no zero-fill, no scratch tensor.
    public func accumulateGradInPlace(_ body: (UnsafeMutablePointer<Float>, _ first: Bool) -> Void) {
        if let g = grad { body(g.data, false); return }
        let g = Tensor(shape: value.shape, uninitialized: true)
        grad = g
        body(g.data, true)
    }

    /// Add a gradient contribution that a kernel writes (overwriting its output buffer): straight
    /// into the gradient if it is the first, through a scratch tensor otherwise.
    public func accumulateGrad(_ write: (UnsafeMutablePointer<Float>) -> Void) {
        if let g = grad {
            let scratch = Tensor(shape: value.shape)
            write(scratch.data)
            g.add(scratch)
        } else {
            write(gradBuffer().data)
        }
    }
}

/// A reverse-mode tape. Ops append their output and a closure that, given the output's gradient,
/// adds the inputs' gradients (each op's backward is written next to its forward, in `Ops/`).
///
/// One forward can feed several losses: call `backward` once per loss, naming the parameter groups
/// that loss updates. Ops that lead to none of them are skipped, so the discriminator step computes
/// no decoder gradient and the generator step no discriminator weight gradient.
public final class Tape {
    struct Node {
        let output: Variable
        let inputs: [Variable]
        let op: String
        let backward: (Variable) -> Void
    }

    var nodes: [Node] = []
    /// Dropout is active only while training; snapshots and exports run with `training = false`.
    public var training: Bool
    /// Random source for dropout masks.
    public var rng: RNG
    /// Where a network draws the same masks each time it is applied on this tape
    /// (`withMaskScope`), the masks drawn so far in each scope, by the order of their draws.
    var sharedMasks: [String: [UInt64]]?
    /// The scope in which masks are being drawn, and how many it has drawn in this application.
    var maskScope: (name: String, drawn: Int)?
    /// When set, times every op (see `OpProfiler`).
    public var profiler: OpProfiler?
    /// When false (inference: snapshots, exports), ops keep no backward closures, so every
    /// intermediate tensor is freed as soon as the next op has used it.
    public let recording: Bool
    /// The convolutions' operand precision (`Precision`).
    public let precision: Precision

    public init(training: Bool, rng: RNG = RNG(seed: 0), recording: Bool = true, precision: Precision = .fp32) {
        self.training = training
        self.rng = rng
        self.recording = recording
        self.precision = precision
    }

    /// Make every application of one network (the body of `withMaskScope` with one name) drop the
    /// same units: its k-th dropout mask is the one its first application drew k-th. TensorFlow
    /// gives the calls of one Keras layer within a `sess.run` the same mask where a graph-level
    /// seed is set; without one (the notebook, Keras 2.0) each call draws its own.
    public func shareMasksAcrossApplications() { sharedMasks = sharedMasks ?? [:] }

    /// Run `body` as one application of the network `name` (see `shareMasksAcrossApplications`).
    public func withMaskScope<R>(_ name: String, _ body: () -> R) -> R {
        let outer = maskScope
        maskScope = (name, 0)
        defer { maskScope = outer }
        return body()
    }

    /// The key of the next dropout mask: a fresh draw, or the scope's shared one.
    func nextMaskKey() -> UInt64 {
        guard var shared = sharedMasks, let scope = maskScope else { return rng.next() }
        var keys = shared[scope.name, default: []]
        if scope.drawn == keys.count {
            keys.append(rng.next())
            shared[scope.name] = keys
            sharedMasks = shared
        }
        maskScope = (scope.name, scope.drawn + 1)
        return keys[scope.drawn]
    }

    /// A tape for inference: no dropout, nothing recorded.
    public static func inference(precision: Precision = .fp32) -> Tape {
        Tape(training: false, recording: false, precision: precision)
    }

    /// Record an op's output computed from `inputs`, with the closure that back-propagates into them.
    /// `op` names the op for the profiler (the calling function by default).
    @discardableResult
    public func record(
        _ value: Tensor, inputs: [Variable], op: String = #function,
        backward: @escaping (_ out: Variable) -> Void
    ) -> Variable {
        profiler?.forwardDone(op)
        let groups = inputs.reduce(ParamGroup()) { $0.union($1.groups) }
        let out = Variable(value, groups: groups)
        if recording && !groups.isEmpty {
            nodes.append(Node(output: out, inputs: inputs, op: op, backward: backward))
        }
        return out
    }

    /// Back-propagate a weighted sum of scalar losses into the parameters of `groups`. Their
    /// gradients are left in `Variable.grad`, replacing any earlier ones; gradients of other
    /// groups are left as they were, so two passes can fill two groups before either optimiser
    /// steps (the generator step: encoder from L_enc, decoder from L_dec, same weights).
    public func backward(_ seeds: [(loss: Variable, weight: Float)], into groups: ParamGroup) {
        backward(
            seeds.map { seed in
                precondition(seed.loss.value.count == 1, "backward seeds must be scalars, got \(seed.loss.shape)")
                return (seed.loss, Tensor(shape: seed.loss.shape, repeating: seed.weight))
            }, into: groups)
    }

    /// Back-propagate given output gradients (vector-Jacobian products) into `groups`.
    public func backward(_ seeds: [(output: Variable, gradient: Tensor)], into groups: ParamGroup) {
        for node in nodes {
            node.output.clearGrad()
            node.output.needsGrad = !node.output.groups.isDisjoint(with: groups)
            for input in node.inputs {
                input.needsGrad = !input.groups.isDisjoint(with: groups)
                if input.needsGrad { input.clearGrad() }
            }
        }
        for (output, gradient) in seeds where output.needsGrad {
            precondition(gradient.shape == output.shape, "seed gradient \(gradient.shape) for \(output.shape)")
            output.gradBuffer().add(gradient)
        }
        for node in nodes.reversed() where node.output.needsGrad && node.output.grad != nil {
            if let profiler {
                profiler.backward(node.op) { node.backward(node.output) }
            } else {
                node.backward(node.output)
            }
        }
    }

    /// Drop every recorded op (the values stay alive only while something else holds them).
    public func reset() { nodes.removeAll(keepingCapacity: true) }
}
