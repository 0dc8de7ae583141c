/// The notebook's batch iterator: every epoch a fresh random permutation of the training set,
/// cut into `count / batchSize` full batches (937 for MNIST at 64); the rest is dropped.
public struct BatchIterator: Sendable {
    public let batchSize: Int
    public let exampleCount: Int
    /// Position: the current epoch's order and the next batch within it.
    public private(set) var order: [Int]
    public private(set) var nextBatch: Int
    public private(set) var epoch: Int

    public var batchesPerEpoch: Int { exampleCount / batchSize }

    public init(exampleCount: Int, batchSize: Int) {
        precondition(batchSize > 0 && exampleCount >= batchSize)
        self.exampleCount = exampleCount
        self.batchSize = batchSize
        order = []
        nextBatch = 0
        epoch = -1
    }

    /// Restore a saved position (from a checkpoint).
    public init(exampleCount: Int, batchSize: Int, order: [Int], nextBatch: Int, epoch: Int) {
        self.init(exampleCount: exampleCount, batchSize: batchSize)
        self.order = order; self.nextBatch = nextBatch; self.epoch = epoch
    }

    /// Where an iterator stands after handing out `taken` batches: epoch -1 at batch 0 before the
    /// first, then each epoch's batches counted from 1 (`next` starts a new epoch when asked past
    /// the last).
    public static func position(after taken: Int, batchesPerEpoch: Int) -> (epoch: Int, nextBatch: Int) {
        taken == 0 ? (-1, 0) : ((taken - 1) / batchesPerEpoch, (taken - 1) % batchesPerEpoch + 1)
    }

    /// The example indices of the next batch; draws a new permutation from `shuffle` at each epoch.
    public mutating func next(shuffle: (Int) -> [Int]) -> ArraySlice<Int> {
        if order.isEmpty || nextBatch >= batchesPerEpoch {
            order = shuffle(exampleCount)
            nextBatch = 0
            epoch += 1
        }
        defer { nextBatch += 1 }
        return order[nextBatch * batchSize..<(nextBatch + 1) * batchSize]
    }
}
