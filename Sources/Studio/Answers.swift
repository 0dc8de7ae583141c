import Datasets
import Foundation

/// The studio API's answers, as `/api/openapi.json` describes them (OpenAPIDocument): what the
/// handlers build and what the tests decode. Optional fields are left out when nil.
package enum Answer {
    /// `{"error": "..."}`: every 4xx and 5xx.
    package struct Failure: Codable { package let error: String }

    /// POST /api/decode.
    package struct Decoded: Codable {
        package let iteration: Int
        /// One base64 image of bytes per label (side x side x channels, as the state's config says).
        package let digits: [String]
        package let serverMs: Double
    }

    /// POST /api/restyle and POST /api/restyle-image.
    package struct Restyled: Codable {
        package let iteration: Int
        package let label: Int
        /// The image the model saw, base64 bytes (side x side x channels).
        package let digit: String
        package let digits: [String]
        package let guess: Int?
        package let probabilities: [Double]?
    }

    /// GET /api/state and each event of /api/events.
    package struct State: Codable {
        package struct Config: Codable {
            package let model: String, variant: String, latentDim: Int, iterations: Int, preset: String, seed: String
            package let batchSize: Int, iterationsPerPeriod: Int, dataset: String
            /// The classes' names by label (the numbers on MNIST): the grids' captions.
            package let classNames: [String]
            /// The images' side in pixels and their channels (1 grey, 3 colour): how the grids and
            /// the model's images are laid out.
            package let side: Int, channels: Int
            /// How one's own set fitted its pictures (config.json's `fitting`): a picture dropped
            /// on the page is fitted alike before POST /api/restyle-image. Absent where the run
            /// recorded none (MNIST's, Fashion-MNIST's and older runs).
            package var fitting: PictureFitting? = nil
        }
        package struct Training: Codable {
            package let live: Bool, state: String, iteration: Int, total: Int, rate: Double, snapshots: Int,
                updated: Double
            package let eta: String?
        }
        package struct SnapshotInfo: Codable { package let iteration: Int, period: Int, count: Int, gridSize: Int }
        package struct Checkpoint: Codable { package let stamp: String }
        package struct Losses: Codable {
            package let iteration: [Int], prior: [Double], reconstruction: [Double]
            package let gan: [Double]?
        }
        package struct ReportItem: Codable, Equatable {
            package let file: String, caption: String, alt: String, section: String
        }
        package struct ArticleModel: Codable { package let iteration: Int, latentDim: Int, file: String }

        /// The run folder's name.
        package let run: String
        package var waiting: String?
        package var problems: [String]?
        package var articleModel: ArticleModel?
        package var config: Config?
        package var training: Training?
        package var snapshot: SnapshotInfo?
        package var checkpoint: Checkpoint?
        package var losses: Losses?
        package var report: [ReportItem]?
        /// Whether the studio can read a drawing's label: it has a classifier of the classes of
        /// the model that draws (the run's, or the article stand-in's ten).
        package var canRead = false
    }

    static func json<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data(#"{"error":"the answer could not be written"}"#.utf8)
    }
}
