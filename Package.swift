// swift-tools-version:6.0
// vaegan-render: train a conditional VAE+GAN on MNIST on the CPU and render its training as films.
import PackageDescription

/// Release builds of the engine's kernels skip overflow and precondition checks in their hot loops
/// (raw pointers throughout) and are compiled for AVX2 + FMA. Every other target (the parsers of
/// files and requests among them) keeps the checks: a hostile input traps cleanly instead of
/// running on undefined behaviour. Measured: the rest built unchecked was no faster (BENCHMARKS.md).
/// Debug builds optimise the kernels too (with their checks on), so that a debug test pass over
/// the parsers and the server, which train and draw a little, runs in minutes.
let vector: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo", "-target-cpu", "haswell"], .when(configuration: .release)),
    .unsafeFlags(["-O", "-target-cpu", "haswell"], .when(configuration: .debug))
]

let package = Package(
    name: "vaegan-render",
    products: [.executable(name: "vaegan-render", targets: ["vaegan-render"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1")
    ],
    targets: [
        // C libraries: one system-library target each, imported only by the target that wraps it.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]),
        .systemLibrary(
            name: "CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavcodec-dev", "libavformat-dev", "libswscale-dev", "libavutil-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        // The parts, in the direction data flows. The engine knows no model; the run folder knows
        // neither the model nor the engine; Training is where model, data and run folder meet.
        .target(name: "AtomicIO"),
        .target(name: "Deflate", dependencies: ["CZlib"]),
        .target(name: "Tensor", dependencies: ["CBLAS", "CDNNL"], swiftSettings: vector),
        .target(name: "Datasets", dependencies: ["Deflate", "AtomicIO"]),
        // PNG files decoded (libpng), for the data rooms and the pictures alike.
        .target(name: "PNG", dependencies: ["CPNG"]),
        .target(name: "RunFolder", dependencies: ["AtomicIO", "Deflate", "Datasets"]),
        .target(name: "VAEGAN", dependencies: ["Tensor", "Datasets"]),
        // The user's own images (a .npz, .npy files, PNG folders) made into 28x28 digit sets.
        .target(name: "OwnData", dependencies: ["Datasets", "PNG", "AtomicIO"]),
        // A run read back, for every reader (films, report, studio, evaluation): its config as the
        // model's settings, checkpoints opened for their weights, the recording, the shipped
        // article model. It never trains and never sets the engine's threads.
        .target(name: "RunModel", dependencies: ["VAEGAN", "Tensor", "Datasets", "RunFolder"]),
        .target(
            name: "Training",
            dependencies: ["RunModel", "VAEGAN", "Tensor", "Datasets", "RunFolder", "OwnData", "AtomicIO"]),
        .target(
            name: "Evaluation",
            dependencies: ["Tensor", "Datasets", "VAEGAN", "RunFolder", "RunModel", "AtomicIO", "PNG", "OwnData"]),
        .target(name: "Canvas", dependencies: ["CCairo", "AtomicIO", "Datasets", "PNG"]),
        .target(name: "Video", dependencies: ["CFFmpeg", "AtomicIO"]),
        .target(
            name: "Films",
            dependencies: ["Canvas", "Video", "RunFolder", "RunModel", "VAEGAN", "Tensor", "Datasets", "AtomicIO"]),
        // What a run's pictures are, and their files' names: one list for `report`, `serve` and `export`.
        .target(name: "RunPictures", dependencies: ["Films", "RunFolder", "RunModel", "Datasets"]),
        // Everything that runs in a browser, in one place, knowing no engine: the page's model
        // (Page/model.c, compiled to Page/model.wasm by scripts/build_web_model.sh) and its scripts,
        // the explorer that the report page and the studio share, and the pages' skeletons, styles
        // and scripts (the report's, the comparison's, the studio's); embedded in the program as
        // byte arrays, with the Swift that fills them into pages.
        .target(
            name: "Browser",
            dependencies: ["Datasets"],
            exclude: ["Page/model.c"],
            resources: [
                .embedInCode("Page/model.wasm"), .embedInCode("Page/model.js"), .embedInCode("Page/explore.js"),
                .embedInCode("Page/explore.css"), .embedInCode("Page/report.html"), .embedInCode("Page/report.css"),
                .embedInCode("Page/report.js"), .embedInCode("Page/compare.html"), .embedInCode("Page/studio.html"),
                .embedInCode("Page/studio.css"), .embedInCode("Page/studio.js")
            ]),
        // A run's report: its pictures drawn, the page that shows them, and the model exported for
        // the page to run (weights.js).
        .target(
            name: "Report",
            dependencies: [
                "AtomicIO", "Canvas", "Deflate", "Films", "RunFolder", "RunModel", "Tensor", "VAEGAN", "Evaluation",
                "Datasets", "RunPictures", "Browser", "Console"
            ]),
        // `vaegan-render serve`: the live studio, a local HTTP server that reads a run folder and
        // calls inference, never training.
        .target(
            name: "Studio",
            dependencies: [
                "RunPictures", "Browser", "RunFolder", "RunModel", "VAEGAN", "Evaluation", "Datasets", "Tensor",
                "Console",
                .product(name: "Hummingbird", package: "hummingbird")
            ],
            // The API's OpenAPI document, compiled into the program as byte arrays.
            resources: [.embedInCode("API/openapi.json")]),
        // `vaegan-render sweep`: a grid of runs in one folder, trained here or as a Slurm job array.
        .target(name: "Sweep", dependencies: ["AtomicIO", "RunFolder", "RunModel", "Evaluation", "Console"]),
        // `vaegan-render compare`: a sweep's runs side by side, as a table and a page.
        .target(
            name: "Comparison",
            dependencies: [
                "Sweep", "Report", "Browser", "AtomicIO", "Canvas", "Evaluation", "Datasets", "RunFolder", "RunModel"
            ]),
        // The terminal's messages, progress line and Ctrl-C, for the commands; durations as text.
        .target(name: "Console"),
        // `vaegan-render bench`: timings of the kernels and the model's steps.
        .target(
            name: "Bench",
            dependencies: [
                "Tensor", "Datasets", "RunFolder", "RunModel", "VAEGAN", "Training", "Canvas", "Films", "AtomicIO"
            ]),
        .executableTarget(
            name: "vaegan-render",
            dependencies: [
                "Tensor", "Datasets", "RunFolder", "RunModel", "VAEGAN", "Training", "Evaluation", "Canvas", "Video",
                "Films",
                "Report", "Studio", "Bench", "Sweep", "Comparison", "RunPictures", "OwnData",
                "Console", "AtomicIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]),

        // Tests: one target per part, with the helpers they share (float64 reference ops, the op
        // harness, MNIST and tool requirements) in TestSupport, which ships in no product.
        .target(name: "TestSupport", dependencies: ["Tensor", "Datasets", "VAEGAN"], path: "Tests/TestSupport"),
        .testTarget(name: "AtomicIOTests", dependencies: ["AtomicIO", "TestSupport"]),
        .testTarget(name: "DeflateTests", dependencies: ["Deflate"]),
        .testTarget(name: "PNGTests", dependencies: ["PNG", "Deflate"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "AtomicIO", "TestSupport"]),
        .testTarget(
            name: "OwnDataTests", dependencies: ["OwnData", "Datasets", "AtomicIO", "Deflate", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "RunFolderTests", dependencies: ["RunFolder", "Deflate", "TestSupport"]),
        .testTarget(
            name: "VAEGANTests",
            dependencies: ["VAEGAN", "Tensor", "Datasets", "RunFolder", "RunModel", "Training", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TrainingTests",
            dependencies: [
                "Training", "RunFolder", "RunModel", "VAEGAN", "Tensor", "Datasets", "Deflate", "TestSupport"
            ],
            exclude: ["Golden"]),
        .testTarget(
            name: "EvaluationTests",
            dependencies: [
                "Evaluation", "RunFolder", "RunModel", "Training", "VAEGAN", "Tensor", "Datasets", "TestSupport"
            ]),
        .testTarget(name: "CanvasVideoTests", dependencies: ["Canvas", "Video", "Datasets"]),
        .testTarget(name: "RunPicturesTests", dependencies: ["RunPictures", "RunFolder", "TestSupport"]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "FilmsTests", dependencies: ["Films", "Canvas", "Video", "RunFolder", "Datasets", "TestSupport"]),
        .testTarget(
            name: "ReportTests",
            dependencies: [
                "Report", "Browser", "RunModel", "Evaluation", "Deflate", "Datasets", "VAEGAN", "TestSupport"
            ]),
        .testTarget(
            name: "ComparisonTests",
            dependencies: ["Comparison", "Browser", "Sweep", "Evaluation", "RunFolder", "TestSupport"]),
        .testTarget(
            name: "StudioTests",
            dependencies: [
                "Studio", "Browser", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird")
            ]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Canvas", "Video", "Films", "Report", "RunFolder", "RunModel", "Training", "Evaluation", "Datasets",
                "Tensor", "Studio", "Sweep", "Comparison", "Bench", "OwnData",
                "TestSupport"
            ])
    ],
    swiftLanguageModes: [.v6]
)
