/// What every part that handles digits shares: an MNIST digit is a 28x28 grey image of one of ten
/// labels. (The model's `Architecture` takes its input size from here.)
public enum Digit {
    public static let side = 28
    public static let pixels = side * side
    public static let labels = 0..<10
}
