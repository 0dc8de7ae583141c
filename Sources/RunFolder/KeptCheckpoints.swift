import Foundation

/// The weights a run keeps of the checkpoints it passes through (`train-and-record
/// --keep-checkpoints K`): one small safetensors file per kept checkpoint in the run folder's
/// `checkpoints/`, named by its iteration (`iteration-010900.safetensors`), holding the weights
/// alone (no optimiser state, no generator states) in the layout of `checkpoint.safetensors`.
/// Written atomically after the checkpoint itself, and pruned to the last K as the run goes;
/// `evaluate`, `export` and `serve` name one with `--checkpoint ITERATION`. Only files of this
/// name pattern are ever pruned: anything else in the folder is the user's.
public enum KeptCheckpoints {
    /// The folder in the run that holds them.
    public static let folderName = "checkpoints"
    static let prefix = "iteration-", suffix = ".safetensors"

    /// The file name of the weights kept at `iteration`: six digits at least, so that names sort
    /// as their iterations do.
    public static func fileName(iteration: Int) -> String {
        prefix + String(format: "%06d", iteration) + suffix
    }

    /// The iteration a kept file's name says, or nil for a name the program does not write.
    public static func iteration(fileName name: String) -> Int? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.count >= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits),
            fileName(iteration: n) == name
        else { return nil }
        return n
    }

    /// A picture's file name in the run folder when drawn from the checkpoint kept at `iteration`
    /// (`style_transfer_7.png` becomes `style_transfer_7-iteration-010900.png`), so that the
    /// report's own pictures, drawn from the latest checkpoint, keep theirs; nil: the name as it is.
    public static func pictureName(_ name: String, iteration: Int?) -> String {
        guard let iteration else { return name }
        let stem = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        return stem + "-" + (fileName(iteration: iteration) as NSString).deletingPathExtension + "." + ext
    }

    /// The iterations whose weights `run` keeps, in order (none where the folder is absent).
    public static func iterations(in run: RunDirectory) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: run.keptCheckpointsPath)) ?? []
        return names.compactMap { iteration(fileName: $0) }.sorted()
    }

    /// Remove all but the last `count` kept files (by iteration); returns the iterations removed.
    /// A file that cannot be removed stops the run as any failed write does.
    @discardableResult
    public static func prune(_ run: RunDirectory, keeping count: Int) throws -> [Int] {
        let all = iterations(in: run)
        let removed = Array(all.dropLast(max(count, 0)))
        for n in removed {
            let path = run.keptCheckpointPath(iteration: n)
            do { try FileManager.default.removeItem(atPath: path) } catch {
                throw RunError.cannotWrite(
                    path: path,
                    reason: "cannot remove an older kept checkpoint (\((error as NSError).localizedDescription))"
                )
            }
        }
        return removed
    }

    /// The folder, created where absent.
    public static func createFolder(_ run: RunDirectory) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: run.keptCheckpointsPath, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw RunError.cannotWrite(
                    path: run.keptCheckpointsPath, reason: "is a file, where the run keeps its checkpoints' weights")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: run.keptCheckpointsPath, withIntermediateDirectories: true)
        } catch {
            throw RunError.cannotWrite(
                path: run.keptCheckpointsPath,
                reason: "cannot create the folder of kept checkpoints (\((error as NSError).localizedDescription))")
        }
    }
}

public extension RunDirectory {
    /// `checkpoints/`: the weights kept at the run's last checkpoints (`KeptCheckpoints`).
    var keptCheckpointsPath: String { path + "/" + KeptCheckpoints.folderName }

    /// Where the weights kept at `iteration` lie (whether or not they are there).
    func keptCheckpointPath(iteration: Int) -> String {
        keptCheckpointsPath + "/" + KeptCheckpoints.fileName(iteration: iteration)
    }
}
