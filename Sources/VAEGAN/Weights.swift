import Tensor

/// One layer's kernel and bias, with the optimiser group they belong to.
public struct LayerSpec: Sendable {
    public let name: String
    public let kernelShape: [Int]
    public let group: ParamGroup
}

/// All trainable tensors of the three networks, named as in the reference checkpoints
/// (`encoder.conv1.kernel`, ...) in Keras layout: conv kernels (kh, kw, cin, cout), dense (in, out).
public final class ModelWeights {
    public let latentDim: Int
    public let classes: Int
    /// Every tensor by name (`<layer>.kernel`, `<layer>.bias`).
    public let byName: [String: Variable]
    /// Names in the reference's creation order.
    public let names: [String]

    public static func layers(latentDim: Int, classes: Int = 10) -> [LayerSpec] {
        [
            LayerSpec(name: "encoder.conv1", kernelShape: [3, 3, 1, 32], group: .encoder),
            LayerSpec(name: "encoder.conv2", kernelShape: [3, 3, 32, 64], group: .encoder),
            LayerSpec(name: "encoder.dense1", kernelShape: [7 * 7 * 64 + classes, 64], group: .encoder),
            LayerSpec(name: "encoder.z_mean", kernelShape: [64, latentDim], group: .encoder),
            LayerSpec(name: "encoder.z_log_var", kernelShape: [64, latentDim], group: .encoder),
            LayerSpec(name: "decoder.dense1", kernelShape: [latentDim + classes, 7 * 7 * 128], group: .decoder),
            LayerSpec(name: "decoder.conv1", kernelShape: [5, 5, 128, 64], group: .decoder),
            LayerSpec(name: "decoder.conv2", kernelShape: [3, 3, 64, 32], group: .decoder),
            LayerSpec(name: "decoder.conv3", kernelShape: [5, 5, 32, 1], group: .decoder),
            LayerSpec(name: "discriminator.conv1", kernelShape: [7, 7, 1, 128], group: .discriminator),
            LayerSpec(name: "discriminator.conv2", kernelShape: [3, 3, 128 + classes, 64], group: .discriminator),
            LayerSpec(name: "discriminator.l_conv", kernelShape: [3, 3, 64, 16], group: .similarity),
            LayerSpec(name: "discriminator.d_dense", kernelShape: [4 * 4 * 64, 1], group: .discriminator),
        ]
    }

    /// Expected shape of every tensor, by name.
    public static func shapes(latentDim: Int, classes: Int = 10) -> [(name: String, shape: [Int], group: ParamGroup)] {
        layers(latentDim: latentDim, classes: classes).flatMap { l in
            [(l.name + ".kernel", l.kernelShape, l.group), (l.name + ".bias", [l.kernelShape.last!], l.group)]
        }
    }

    /// Fresh weights: Glorot-uniform kernels, zero biases (Keras 2 defaults), drawn in table order.
    public convenience init(latentDim: Int, classes: Int = 10, rng: inout RNG) {
        var tensors: [String: Tensor] = [:]
        for l in Self.layers(latentDim: latentDim, classes: classes) {
            tensors[l.name + ".kernel"] = Initializer.glorotUniform(l.kernelShape, rng: &rng)
            tensors[l.name + ".bias"] = Tensor(shape: [l.kernelShape.last!])
        }
        try! self.init(tensors: tensors, latentDim: latentDim, classes: classes)
    }

    /// Weights from named tensors (a checkpoint); every tensor must be present with its shape.
    public init(tensors: [String: Tensor], latentDim: Int, classes: Int = 10) throws {
        self.latentDim = latentDim
        self.classes = classes
        var vars: [String: Variable] = [:]
        var names: [String] = []
        for (name, shape, group) in Self.shapes(latentDim: latentDim, classes: classes) {
            guard let t = tensors[name] else { throw WeightsError.missing(name) }
            guard t.shape == shape else { throw WeightsError.shape(name, expected: shape, found: t.shape) }
            vars[name] = Variable(t, groups: group)
            names.append(name)
        }
        byName = vars
        self.names = names
    }

    public subscript(name: String) -> Variable { byName[name]! }

    public func kernel(_ layer: String) -> Variable { byName[layer + ".kernel"]! }
    public func bias(_ layer: String) -> Variable { byName[layer + ".bias"]! }

    /// The parameters of one optimiser group, in name order.
    public func parameters(_ group: ParamGroup) -> [Variable] {
        names.compactMap { byName[$0]!.groups.isSubset(of: group) ? byName[$0]! : nil }
    }

    public var tensors: [String: Tensor] { byName.mapValues(\.value) }

    public var parameterCount: Int { byName.values.reduce(0) { $0 + $1.value.count } }
}

public enum WeightsError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case shape(String, expected: [Int], found: [Int])
    public var description: String {
        switch self {
        case .missing(let n): return "tensor '\(n)' is missing"
        case .shape(let n, let e, let f): return "tensor '\(n)' has shape \(f), expected \(e)"
        }
    }
}
