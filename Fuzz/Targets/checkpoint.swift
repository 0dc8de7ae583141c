import Datasets
import Foundation
import RunFolder
import RunModel
import Training
import VAEGAN

let digits = DigitSet(images: [Float](repeating: 0, count: 128 * 784), labels: (0..<128).map { UInt8($0 % 10) })
let config: RunConfig = {
    var c = RunConfig(model: ModelConfig(data: DataDescription.digits))
    c.batchSize = 64
    return c
}()
let path = NSTemporaryDirectory() + "fuzz-checkpoint-\(getpid()).safetensors"

/// libFuzzer entry: any bytes as a checkpoint, through the safetensors parser and, when that
/// accepts them, the checkpoint loader's checks (tensors, optimiser state, RNG states, position).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    guard (try? SafeTensors.parse(bytes, path: "fuzz")) != nil else { return 0 }
    _ = FileManager.default.createFile(atPath: path, contents: bytes)
    _ = try? Checkpoint.load(path: path, config: config, data: digits)
    return 0
}
