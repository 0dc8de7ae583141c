/// The evaluation.json of a run evaluated before any optional measure existed (no manifold
/// variation, style carry or sheet): 100 test digits, every accuracy 1, and the given Fréchet
/// distance.
public func minimalEvaluationJSON(frechetDistance: Double = 3) -> String {
    """
    {"run":"r","model":"cvae-gan","variant":"figures","latent_dim":8,"iteration":10,"dataset":"mnist",
    "test_digits":100,"manifold_accuracy":{"overall":1,"per_label":[1,1,1,1,1,1,1,1,1,1]},
    "random_accuracy":{"overall":1,"per_label":[1,1,1,1,1,1,1,1,1,1]},
    "style_transfer_accuracy":{"overall":1,"per_label":[1,1,1,1,1,1,1,1,1,1]},"style_spread_ratio":0.4,
    "reconstruction_bce":0.1,"reconstruction_mse":0.01,"sharpness_generated":0.2,"sharpness_real":0.2,
    "sharpness_ratio":1,"frechet_distance":\(frechetDistance),"diversity_generated":[1,1,1,1,1,1,1,1,1,1],
    "diversity_real":[1,1,1,1,1,1,1,1,1,1],"diversity_ratio":1,"samples_per_label":10}
    """
}
