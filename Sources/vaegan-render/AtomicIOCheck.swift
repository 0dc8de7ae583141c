import AtomicIO
import Foundation

/// Checks made before long work, so that it does not fail at the end.
enum AtomicIOCheck {
    /// The output's folder exists and is writable, and the path is not a folder.
    static func writable(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw AtomicFile.WriteError(path: path, reason: "is a directory")
        }
        try AtomicFile.checkWritable(path)
    }
}
