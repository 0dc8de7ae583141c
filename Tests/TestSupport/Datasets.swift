import MNIST
import Tensor

/// A small slice of MNIST (or, where set-up has not run, random digit-like images).
public func smallDataset(train: Int = 512, test: Int = 300) -> Dataset {
    if let d = try? Dataset.load(directory: mnistDirectory) {
        return Dataset(train: d.train.prefix(train), test: d.test.prefix(test))
    }
    var rng = RNG(seed: 9)
    func set(_ n: Int) -> DigitSet {
        DigitSet(images: (0..<(n * 784)).map { _ in max(0, rng.uniformFloat() * 2 - 1) }, labels: (0..<n).map { UInt8($0 % 10) })
    }
    return Dataset(train: set(train), test: set(test))
}

