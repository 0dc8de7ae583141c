import ArgumentParser
import Datasets
import OwnData
import Tensor
import Training
import VAEGAN

/// The settings that flags name by value: each enum read from its raw value.
extension Preset: ExpressibleByArgument {}
extension LossVariant: ExpressibleByArgument {}
extension ModelKind: ExpressibleByArgument {}
/// --dataset names the two sets that set-up provides; one's own data is told by --data.
extension DatasetKind: ExpressibleByArgument {
    public init?(argument: String) {
        guard let kind = DatasetKind(rawValue: argument), kind != .own else { return nil }
        self = kind
    }

    public static var allValueStrings: [String] { allCases.filter { $0 != .own }.map(\.rawValue) }
}
extension Precision: ExpressibleByArgument {}
extension DropoutMasks: ExpressibleByArgument {}
extension GreyMap: ExpressibleByArgument {}
extension OwnDataset.Inversion: ExpressibleByArgument {}
extension ImageShapeChoice.Colour: ExpressibleByArgument {}
/// --side: a number, or auto.
extension ImageShapeChoice.Side: ExpressibleByArgument {
    public init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let n = Int(argument) {
            self = .side(n)
        } else {
            return nil
        }
    }
}
