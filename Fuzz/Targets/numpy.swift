import Datasets

/// libFuzzer entry: any bytes as a `.npy` file and as a zip archive (`.npz`), each member read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNumPy(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? NumPy.parse(bytes, path: "fuzz")
    if let archive = try? ZipArchive(bytes: bytes, path: "fuzz") {
        for name in archive.names { _ = try? archive.member(name).map { try NumPy.parse($0, path: "fuzz") } }
    }
    return 0
}
