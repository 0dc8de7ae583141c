// swift-tools-version:6.0
// vaegan-render: train a conditional VAE+GAN on MNIST on the CPU and render its training as films.
import PackageDescription

/// Release builds of the numeric targets skip bounds checks in the hot loops (they use raw pointers
/// throughout); debug builds keep every check.
let fast: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]
let vector: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo", "-target-cpu", "haswell"], .when(configuration: .release))]

let package = Package(
    name: "vaegan-render",
    platforms: [.macOS(.v13)],
    products: [.executable(name: "vaegan-render", targets: ["vaegan-render"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries: one system-library target each, imported only by the target that wraps it.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]),
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat",
                       providers: [.apt(["libavcodec-dev", "libavformat-dev", "libswscale-dev", "libavutil-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // The parts, in the direction data flows.
        .target(name: "AtomicIO"),
        .target(name: "Tensor", dependencies: ["CBLAS", "CDNNL", "AtomicIO"], swiftSettings: vector),
        .target(name: "Deflate", dependencies: ["CZlib"]),
        .target(name: "MNIST", dependencies: ["Deflate"], swiftSettings: fast),
        .target(name: "VAEGAN", dependencies: ["Tensor", "MNIST"], swiftSettings: fast),
        .target(name: "Recording", dependencies: ["Tensor", "MNIST", "VAEGAN", "Deflate", "AtomicIO"], swiftSettings: fast),
        .target(name: "Evaluation", dependencies: ["Tensor", "MNIST", "VAEGAN", "Recording"], swiftSettings: fast),
        .target(name: "Canvas", dependencies: ["CCairo", "AtomicIO"], swiftSettings: fast),
        .target(name: "Video", dependencies: ["CFFmpeg", "AtomicIO"], swiftSettings: fast),
        .target(name: "Report", dependencies: ["AtomicIO"]),
        .executableTarget(
            name: "vaegan-render",
            dependencies: [
                "Tensor", "MNIST", "VAEGAN", "Recording", "Evaluation", "Canvas", "Video", "Report", "AtomicIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fast),

        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST"]),
        .testTarget(name: "VAEGANTests", dependencies: ["VAEGAN", "Tensor", "MNIST"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RecordingTests", dependencies: ["Recording", "VAEGAN", "Tensor", "MNIST"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Recording", "VAEGAN", "Tensor", "MNIST"]),
        .testTarget(name: "CanvasVideoTests", dependencies: ["Canvas", "Video", "CFFmpeg"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Canvas"]),
    ],
    swiftLanguageModes: [.v5]
)
