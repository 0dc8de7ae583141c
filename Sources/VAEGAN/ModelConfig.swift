import Tensor

/// Which model to train.
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    /// The conditional VAE+GAN of the notebook (three networks, three optimisers).
    case cvaeGAN = "cvae-gan"
    /// The plain conditional VAE of the earlier part of the series: same encoder and decoder,
    /// pixel-wise binary cross-entropy + KL, one optimiser. The blurry baseline.
    case cvae
}

/// The model's fixed constants (SPEC.md section 2) and the few a user may change.
public struct ModelConfig: Codable, Equatable, Sendable {
    public var kind: ModelKind = .cvaeGAN
    public var latentDim: Int = 8
    public var classes: Int = 10
    public var dropout: Float = 0.3
    public var leakyAlpha: Float = 0.3
    /// Weight of L_dis_llike in the decoder's loss.
    public var gamma: Float = 1
    /// Train the discriminator's `l` conv on L_dis_llike with the discriminator optimiser. Off by
    /// default, as in the notebook, where TensorFlow never updates it (it is not on D's path).
    public var trainSimilarity = false
    public var learningRates = LearningRates()

    public struct LearningRates: Codable, Equatable, Sendable {
        public var encoder: Float = 1e-3
        public var decoder: Float = 3e-4
        public var discriminator: Float = 1e-3
        /// The CVAE's single optimiser over encoder and decoder.
        public var cvae: Float = 1e-3
        public init() {}
    }

    public init(kind: ModelKind = .cvaeGAN, latentDim: Int = 8, trainSimilarity: Bool = false) {
        self.kind = kind
        self.latentDim = latentDim
        self.trainSimilarity = trainSimilarity
    }
}
