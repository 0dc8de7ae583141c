import Datasets
import RunFolder
import Tensor
import VAEGAN

/// A run of this program: its config.json with the model section read as the VAE+GAN's settings.
public typealias RunConfig = RunConfiguration<ModelConfig>

extension ModelConfig: ModelSection {
    /// The model settings config.json may hold (a hand-edited file can hold others).
    public var problem: String? {
        if !Self.latentDims.contains(latentDim) { return "latentDim \(latentDim) is outside \(Self.latentDims)" }
        if let problem = data.problem { return problem }
        if !(dropout >= 0 && dropout < 1) { return "dropout must be in [0, 1)" }
        return gammaProblem
    }
}
