import Datasets
import Tensor

/// All trainable tensors of the three networks, named as in the reference checkpoints
/// (`encoder.conv1.kernel`, ...) in Keras layout: conv kernels (kh, kw, cin, cout), dense (in, out).
public final class ModelWeights {
    public var latentDim: Int { architecture.latentDim }
    public var data: DataDescription { architecture.data }
    /// Every tensor by name (`<layer>.kernel`, `<layer>.bias`).
    public let byName: [String: Variable]
    /// Names in the reference's creation order.
    public let names: [String]

    /// The layers these weights belong to.
    public let architecture: Architecture

    /// Fresh weights: Glorot-uniform kernels, zero biases (Keras 2 defaults), drawn in table order.
    public convenience init(latentDim: Int, data: DataDescription, rng: inout RNG) {
        var tensors: [String: Tensor] = [:]
        for l in Architecture(latentDim: latentDim, data: data).layers {
            tensors[l.name + ".kernel"] = Initializer.glorotUniform(l.kernelShape, rng: &rng)
            tensors[l.name + ".bias"] = Tensor(shape: l.biasShape)
        }
        try! self.init(tensors: tensors, latentDim: latentDim, data: data)
    }

    /// Weights from named tensors (a checkpoint); every tensor must be present with its shape.
    public init(tensors: [String: Tensor], latentDim: Int, data: DataDescription) throws {
        architecture = Architecture(latentDim: latentDim, data: data)
        var vars: [String: Variable] = [:]
        var names: [String] = []
        for (name, shape, group) in architecture.tensors {
            guard let t = tensors[name] else { throw WeightsError.missing(name) }
            guard t.shape == shape else { throw WeightsError.shape(name, expected: shape, found: t.shape) }
            vars[name] = Variable(t, groups: group)
            names.append(name)
        }
        byName = vars
        self.names = names
    }

    public subscript(name: String) -> Variable { byName[name]! }

    public func kernel(_ layer: Layer) -> Variable { byName[layer.name + ".kernel"]! }
    public func bias(_ layer: Layer) -> Variable { byName[layer.name + ".bias"]! }

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
