import Datasets
import Dispatch
import Evaluation
import Foundation
import RunFolder
import RunModel
import Tensor
import VAEGAN

/// The run's latest weights and the digit classifier, shared by every request. The engine runs
/// one computation at a time (its kernels already use every thread), so all of them go through
/// one serial queue: a request waits its turn instead of racing another over the engine. The
/// weights are re-read when the checkpoint file changes (a training process replaces it by
/// rename, so a read never sees half of one).
final class ModelHost: @unchecked Sendable {
    let dir: RunDirectory
    let classifier: Classifier?
    let classifierProblem: String?
    /// What draws while the run holds no checkpoint: the shipped article model, when the studio
    /// was started without a run (nil: nothing, and the drawing requests answer 503).
    let standIn: LatestModel?
    /// Paths of the machine out of the messages (made once: it resolves the folder's real path).
    let redact: Redaction
    private let queue = DispatchQueue(label: "vaegan-render.studio.engine")
    // Touched only on `queue`.
    private var model: LatestModel?
    private var modelStamp = ""

    /// Why no answer can be drawn now (503): no checkpoint yet, or a damaged one.
    struct Unavailable: Error, CustomStringConvertible { let description: String }

    /// The weights `--checkpoint` named, opened at start: drawn with throughout, whatever the
    /// run's latest checkpoint does (nil: follow it).
    let pinned: LatestModel?

    init(
        dir: RunDirectory, classifier: Result<Classifier, Error>, standIn: LatestModel? = nil,
        pinned: LatestModel? = nil
    ) {
        self.dir = dir
        self.standIn = standIn
        self.pinned = pinned
        redact = Redaction(dir)
        switch classifier {
        case .success(let c): self.classifier = c; classifierProblem = nil
        case .failure(let e): self.classifier = nil; classifierProblem = "\(e)"
        }
    }

    /// Run `body` on the engine's queue with the current model.
    func withModel<R: Sendable>(_ body: @escaping @Sendable (LatestModel, Classifier?) throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(try self.current(), self.classifier) })
            }
        }
    }

    /// The model of the checkpoint as it is now, loaded again if the file changed.
    private func current() throws -> LatestModel {
        if let pinned { return pinned }
        let stamp = RunView.stamp(dir.checkpointPath)
        if stamp != modelStamp || model == nil {
            if stamp == "-", let standIn { return standIn }
            guard stamp != "-" else {
                throw Unavailable(
                    description:
                        "\(redact.name) holds no checkpoint yet (train-and-record writes one every --checkpoint-every iterations)"
                )
            }
            do {
                model = try dir.latestModel(config: try RunConfig.read(from: dir.path))
                modelStamp = stamp
            } catch {
                model = nil
                throw Unavailable(description: redact("\(error)"))
            }
        }
        return model!
    }
}

extension Answer.Restyled {
    /// The answer of both restyle requests: the image the model saw (`seen`, in [0, 1]) as bytes,
    /// the row, and the classifier's guess where it read one.
    init(iteration: Int, seen: [Float], _ r: Drawing.Restyled) {
        let p = r.probabilities
        self.init(
            iteration: iteration, label: r.label, digit: Data(seen.map(Snapshot.quantise)).base64EncodedString(),
            digits: r.digits.map { Data($0).base64EncodedString() },
            guess: p.map { p in p.indices.max { p[$0] < p[$1] }! }, probabilities: p?.map(Double.init))
    }
}

/// What the studio's drawing and picture requests compute, on the engine's queue.
enum Drawing {
    /// Images as bytes (side x side x channels, channels last; grey ones 0 = no ink, 255 = full
    /// ink), one per label.
    typealias Digits = [[UInt8]]

    /// The ten digits one latent code draws: dec(z, y) for y = 0...9.
    static func decodeAllLabels(_ model: LatestModel, z: [Float]) -> Digits {
        let data = model.inference.config.data, classes = data.classes.count, d = z.count
        let codes = Tensor(shape: [classes, d])
        for k in 0..<classes { for j in 0..<d { codes[k * d + j] = z[j] } }
        return Snapshot.digits(model.inference.decode(codes, labels: Batch.oneHot(Array(0..<classes), data: data)))
    }

    struct Restyled: Sendable {
        /// The classifier's probability of each label for the drawn digit (nil without a classifier).
        let probabilities: [Float]?
        /// The label the digit was encoded with: the user's, or else the classifier's guess.
        let label: Int
        let digits: Digits
    }

    /// The article's style-transfer row for one image of the model's shape: encode it with `label`
    /// (or the classifier's guess) to z_mean, and decode that with every label.
    static func restyle(_ model: LatestModel, classifier: Classifier?, digit: [Float], label: Int?) throws -> Restyled {
        let data = model.inference.config.data, classes = data.classes.count
        guard digit.count == data.pixels else {
            throw Requests.Invalid(
                description:
                    "this run's model takes \(data.shapeText) images: send a picture to /api/restyle-image"
            )
        }
        let x = Tensor(shape: [1, data.side, data.side, data.channels], values: digit)
        try Requests.check(label: label, classes: classes)
        // Only a classifier of the model's classes can guess its label (MNIST's cannot name a sandal).
        let probabilities = classifier.flatMap { $0.judges(data) ? $0.probabilities(x)[0] : nil }
        guard let source = label ?? probabilities.map({ p in p.indices.max { p[$0] < p[$1] }! }) else {
            throw ModelHost.Unavailable(description: "no classifier of this run's classes to guess the label (name it)")
        }
        let rows = model.inference.restyle(x, from: source, to: Array(0..<classes))
        return Restyled(probabilities: probabilities, label: source, digits: rows.map { Snapshot.digits($0)[0] })
    }
}
