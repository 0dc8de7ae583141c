import RunFolder

/// libFuzzer entry: any bytes as a recording.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecording(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = try? RecordingFile.parse(Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz")
    return 0
}
