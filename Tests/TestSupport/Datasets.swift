import Datasets
import Tensor
import VAEGAN

/// A small slice of MNIST (or, where set-up has not run, random digit-like images).
public func smallDataset(train: Int = 512, test: Int = 300) -> Dataset {
    if let d = try? Dataset.load(directory: mnistDirectory) {
        return Dataset(train: d.train.prefix(train), test: d.test.prefix(test))
    }
    var rng = RNG(seed: 9)
    return Dataset(train: .noise(train, data: .digits, rng: &rng), test: .noise(test, data: .digits, rng: &rng))
}
