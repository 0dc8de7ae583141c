import Datasets
import OwnData

extension ClassifierTraining {
    /// The set `train-classifier` trains on, and what it is: one's own images where `given`
    /// (--data) names a .npz, .npy files or PNG folders (their summary said with `say`), read as
    /// `train-and-record` reads them; else the IDX folder `given` names (default: where set-up put
    /// MNIST), whose largest label says how many numbered classes it has.
    public static func trainingSet(given: String?, say: (String) -> Void) throws -> (
        dataset: Dataset, data: DataDescription
    ) {
        if let own = try OwnDataset.load(given: given)?.quantised() {
            say(own.summary)
            return (own.dataset, own.data)
        }
        let directory = given ?? DatasetKind.mnist.defaultDirectory
        let dataset = try Dataset.load(directory: directory)
        return (dataset, try dataset.numberedData(named: "--data \(directory)"))
    }
}
