import Foundation

/// The studio API's answers, as `/api/openapi.json` describes them (OpenAPIDocument): what the
/// handlers build and what the tests decode. Optional fields are left out when nil.
enum Answer {
    /// `{"error": "..."}`: every 4xx and 5xx.
    struct Failure: Codable { let error: String }

    /// POST /api/decode.
    struct Decoded: Codable {
        let iteration: Int
        /// Ten base64 28x28 byte images, labels 0-9.
        let digits: [String]
        let serverMs: Double
    }

    /// POST /api/restyle.
    struct Restyled: Codable {
        let iteration: Int
        let label: Int
        /// The 28x28 digit the model saw, base64 bytes.
        let digit: String
        let digits: [String]
        let guess: Int?
        let probabilities: [Double]?
    }

    /// GET /api/state and each event of /api/events.
    struct State: Codable {
        struct Config: Codable {
            let model: String, variant: String, latentDim: Int, iterations: Int, preset: String, seed: String
            let batchSize: Int, iterationsPerPeriod: Int, dataset: String
            /// The classes' names by label (the numbers on MNIST): the grids' captions.
            let classNames: [String]
        }
        struct Training: Codable {
            let live: Bool, state: String, iteration: Int, total: Int, rate: Double, snapshots: Int, updated: Double
            let eta: String?
        }
        struct SnapshotInfo: Codable { let iteration: Int, period: Int, count: Int, gridSize: Int }
        struct Checkpoint: Codable { let stamp: String }
        struct Losses: Codable {
            let iteration: [Int], prior: [Double], reconstruction: [Double]
            let gan: [Double]?
        }
        struct ReportItem: Codable, Equatable { let file: String, caption: String, alt: String, section: String }
        struct ArticleModel: Codable { let iteration: Int, latentDim: Int, file: String }

        /// The run folder's name.
        let run: String
        var waiting: String?
        var problems: [String]?
        var articleModel: ArticleModel?
        var config: Config?
        var training: Training?
        var snapshot: SnapshotInfo?
        var checkpoint: Checkpoint?
        var losses: Losses?
        var report: [ReportItem]?
        /// Whether the studio can read a drawing's label: it has a classifier of the classes of
        /// the model that draws (the run's, or the article stand-in's ten).
        var canRead = false
    }

    static func json<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data(#"{"error":"the answer could not be written"}"#.utf8)
    }
}
