/// The shape of MNIST's images, 28x28 grey pixels, which every set is fitted into today; the
/// classes and shape a model is made for are its `DataDescription`.
public enum Digit {
    public static let side = 28
    public static let pixels = side * side
}
