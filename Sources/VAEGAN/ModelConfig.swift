import Datasets
import Tensor

/// Which model to train.
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    /// The conditional VAE+GAN of the notebook (three networks, three optimisers).
    case cvaeGAN = "cvae-gan"
    /// The plain conditional VAE of the earlier part of the series: same encoder and decoder,
    /// pixel-wise binary cross-entropy + KL, one optimiser. The blurry baseline.
    case cvae
}

/// Which of the notebook's three loss definitions to train (docs/MODEL.md §3). They differ in four
/// numbers: the KL term's weight, L_GAN's divisor, L_dis_llike's distance and the decoder's gamma.
public enum LossVariant: String, CaseIterable, Codable, Sendable {
    /// The code printed in the article: L_GAN summed over the batch and divided by 784 (S*S*C),
    /// L_dis_llike a sigmoid cross-entropy between l(x) and l(dec(enc(x))). L_GAN then sits near
    /// 0.06, the balancing thresholds (1.0, 0.4) never switch, and the encoder collapses.
    case printed
    /// `AE_Keras_habr_6-Copy1.ipynb`, committed an hour after the figures: L_GAN averaged over the
    /// batch, L_dis_llike the squared distance between l(x) and l(dec(enc(x))), gamma 1.
    case published
    /// The notebook as committed with the article's figures (msurtsukov/ae_vae_gan 4d456ec,
    /// 2017-06-21): L_GAN averaged over the batch, L_dis_llike the cross-entropy, a quarter of
    /// the printed KL term, gamma 0.5.
    case figures

    /// The factor k of L_prior = k * sum(1 + clip(lv) - mu^2 - exp(clip(lv))) / (S*S*C).
    public var priorScale: Float { self == .figures ? -0.125 : -0.5 }
    /// L_GAN's bracket divided by the batch size (else by S*S*C, 784 for MNIST).
    public var ganAveragedOverBatch: Bool { self != .printed }
    /// L_dis_llike as the sigmoid cross-entropy of the l features (else their squared distance).
    public var llikeIsCrossEntropy: Bool { self != .published }
    /// The weight of L_dis_llike in the decoder's loss.
    public var gamma: Float { self == .figures ? 0.5 : 1 }

    /// For a user choosing one (`train-and-record --help`).
    public var summary: String {
        switch self {
        case .figures:
            return "the notebook committed with the article's figures (ae_vae_gan 4d456ec, 2017-06-21): L_GAN averaged "
                + "over the batch, L_dis_llike the cross-entropy of the l features, a quarter of the KL term, gamma 0.5"
        case .published:
            return
                "the sibling notebook committed an hour later (AE_Keras_habr_6-Copy1): L_GAN averaged over the batch, "
                + "L_dis_llike the squared distance of the l features, gamma 1; its rows copy one digit"
        case .printed:
            return "the code printed in the article, whose L_GAN is too small for the loop's balancing: "
                + "its encoder collapses and every cell of a grid draws the same digit"
        }
    }
}

/// Whether the applications of one network within a training step drop the same units.
///
/// A step applies the decoder twice (to enc(x) and to z_p) and the discriminator three times (to
/// x, dec(enc(x)) and dec(z_p)). The notebook, under Keras 2.0, gave each application masks of its
/// own. Under TensorFlow 2 with a graph-level seed set, tf_keras gives every application of a
/// layer in one `sess.run` the same mask, so that x and its reconstruction are compared through
/// the same surviving features of `l` (docs/MODEL.md §5).
public enum DropoutMasks: String, CaseIterable, Codable, Sendable {
    /// Each application draws its own masks: the notebook as it ran.
    case independent
    /// Every application of a network in a step drops the same units.
    case shared

    public var summary: String {
        switch self {
        case .independent: return "each application of a network draws its own dropout masks (the notebook as it ran)"
        case .shared:
            return "the applications of a network in one step share their dropout masks, as tf_keras does under a "
                + "graph seed: x and dec(enc(x)) are compared through the same features"
        }
    }
}

/// The model's fixed constants (docs/MODEL.md §2), the few a user may change, and what its data is.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// What the data the model is made for is: its classes (the nets take a one-hot label of
    /// each) and its images' shape. Chosen by the dataset, never by default.
    public var data: DataDescription
    public var kind: ModelKind = Self.defaultKind
    /// What `train-and-record` trains unless told otherwise.
    public static let defaultKind = ModelKind.cvaeGAN, defaultLatentDim = 8
    /// The VAE+GAN's losses (the plain CVAE has neither L_GAN nor L_dis_llike and ignores it).
    /// The figures' by default, as for `train-and-record`. A run recorded before the key existed
    /// trained the printed losses, and resumes as it was.
    public var variant: LossVariant {
        get { storedVariant ?? .printed }
        set { storedVariant = newValue }
    }
    var storedVariant: LossVariant? = .figures
    public var latentDim: Int = Self.defaultLatentDim
    /// At least 2: the manifold varies z[0] and z[1].
    public static let latentDims = 2...256
    public var dropout: Float = 0.3
    public var leakyAlpha: Float = 0.3
    /// Weight of L_dis_llike in the decoder's loss: always the variant's (`LossVariant.gamma`),
    /// never a setting of its own, so that a run cannot train a variant nobody named.
    public var gamma: Float { variant.gamma }
    /// The "gamma" key runs recorded before it was derived wrote; read only to refuse a file whose
    /// gamma disagrees with its variant (`problem`). New runs write none.
    var recordedGamma: Float?
    /// Train the discriminator's `l` conv on L_dis_llike with the discriminator optimiser. Off by
    /// default, as in the notebook, where TensorFlow never updates it (it is not on D's path).
    public var trainSimilarity = false
    public var learningRates = LearningRates()
    /// The convolutions' operand precision in training and its snapshots (`Precision`). A run
    /// recorded before the key existed trained in float32, and resumes so.
    public var precision: Precision {
        get { storedPrecision ?? .fp32 }
        set { storedPrecision = newValue }
    }
    var storedPrecision: Precision? = .fp32
    /// Whether the applications of a network in one step share their dropout masks: shared by
    /// default (over four seeds of the default preset, a lower Fréchet distance and more carry of
    /// each digit's width and slant than independent masks, BENCHMARKS.md); independent is the
    /// notebook as it ran. A run recorded before the key existed drew its own for each (the
    /// default then), and resumes so.
    public var dropoutMasks: DropoutMasks {
        get { storedDropoutMasks ?? .independent }
        set { storedDropoutMasks = newValue }
    }
    var storedDropoutMasks: DropoutMasks? = .shared

    public struct LearningRates: Codable, Equatable, Sendable {
        public var encoder: Float = 1e-3
        public var decoder: Float = 3e-4
        public var discriminator: Float = 1e-3
        /// The CVAE's single optimiser over encoder and decoder.
        public var cvae: Float = 1e-3
        public init() {}
    }

    /// Why a config.json's gamma cannot be this variant's, or nil (no gamma, or the variant's own).
    public var gammaProblem: String? {
        guard let recordedGamma, recordedGamma != variant.gamma else { return nil }
        return "gamma \(recordedGamma) disagrees with variant '\(variant.rawValue)', whose gamma is \(variant.gamma) "
            + "(gamma follows from the variant; remove the key)"
    }

    /// The defaults above for `data`: what `train-and-record` trains unless told otherwise.
    public init(data: DataDescription) { self.data = data }

    /// The defaults above for `data`, with any of the settings a user may choose set.
    public init(
        data: DataDescription, kind: ModelKind? = nil, variant: LossVariant? = nil, latentDim: Int? = nil,
        trainSimilarity: Bool? = nil, precision: Precision? = nil, dropoutMasks: DropoutMasks? = nil
    ) {
        self.data = data
        if let dropoutMasks { self.dropoutMasks = dropoutMasks }
        if let kind { self.kind = kind }
        if let precision { self.precision = precision }
        if let variant { self.variant = variant }
        if let latentDim { self.latentDim = latentDim }
        if let trainSimilarity { self.trainSimilarity = trainSimilarity }
    }

    /// Every key is required but the optional ones, which later versions added.
    enum CodingKeys: String, CodingKey {
        case data, kind, storedVariant = "variant", latentDim, dropout, leakyAlpha, recordedGamma = "gamma",
            trainSimilarity, learningRates
        case storedPrecision = "precision"
        case storedDropoutMasks = "dropoutMasks"
    }

    /// What config.json kept before `data`: the class count alone (`classes`, whose names, if
    /// any, stood beside the model section as `classNames`), or nothing for MNIST's digits.
    enum EarlierKeys: String, CodingKey { case classes }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let data = try c.decodeIfPresent(DataDescription.self, forKey: .data) {
            self.data = data
        } else if let count = try decoder.container(keyedBy: EarlierKeys.self).decodeIfPresent(
            Int.self, forKey: .classes)
        {
            data = DataDescription(numbered: count)
        } else {
            data = .digits
        }
        kind = try c.decode(ModelKind.self, forKey: .kind)
        storedVariant = try c.decodeIfPresent(LossVariant.self, forKey: .storedVariant)
        latentDim = try c.decode(Int.self, forKey: .latentDim)
        dropout = try c.decode(Float.self, forKey: .dropout)
        leakyAlpha = try c.decode(Float.self, forKey: .leakyAlpha)
        recordedGamma = try c.decodeIfPresent(Float.self, forKey: .recordedGamma)
        trainSimilarity = try c.decode(Bool.self, forKey: .trainSimilarity)
        learningRates = try c.decode(LearningRates.self, forKey: .learningRates)
        storedPrecision = try c.decodeIfPresent(Precision.self, forKey: .storedPrecision)
        storedDropoutMasks = try c.decodeIfPresent(DropoutMasks.self, forKey: .storedDropoutMasks)
    }
}
