import Datasets

/// libFuzzer entry: any bytes as an IDX image file (gzipped or not) and as a label file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let inflated = try? IDX.inflateIfGzipped(bytes, path: "fuzz") {
        _ = try? IDX.images(from: inflated, path: "fuzz")
        _ = try? IDX.labels(from: inflated, path: "fuzz")
    }
    return 0
}
