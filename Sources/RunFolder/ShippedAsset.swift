import Foundation

/// Files the program ships in `Assets/` (the digit classifier, the article model's weights):
/// found beside the build (`.build/<config>/vaegan-render` -> `Assets/`), or in the source tree
/// this was compiled from.
public enum ShippedAsset {
    public static func path(_ name: String) -> String {
        let asset = "Assets/" + name
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
                .deletingLastPathComponent().appendingPathComponent("../../" + asset).standardized.path,
            URL(fileURLWithPath: #filePath).appendingPathComponent("../../../" + asset).standardized.path
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates.last!
    }
}
