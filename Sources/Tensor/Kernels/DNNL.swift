import CDNNL

/// The oneDNN CPU engine and stream, created once. oneDNN engines may be shared between threads;
/// the stream is only used by ops, which run one after another (each parallel inside).
enum DNNL {
    nonisolated(unsafe) static let engine: dnnl_engine_t = {
        var e: dnnl_engine_t?
        check(dnnl_engine_create(&e, dnnl_cpu, 0), "engine")
        return e!
    }()

    nonisolated(unsafe) static let stream: dnnl_stream_t = {
        var s: dnnl_stream_t?
        check(dnnl_stream_create(&s, engine, UInt32(dnnl_stream_default_flags.rawValue)), "stream")
        return s!
    }()

    /// oneDNN fails only on programming errors here (shapes are checked before), so stop loudly.
    static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
        if status != dnnl_success { fatalError("oneDNN \(what()) failed with status \(status.rawValue)") }
    }

    static func memoryDesc(_ dims: [Int], _ tag: dnnl_format_tag_t, _ type: dnnl_data_type_t = dnnl_f32)
        -> dnnl_memory_desc_t
    {
        var md = dnnl_memory_desc_t()
        let d = dims.map(Int64.init)
        check(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), d, type, tag), "memory desc \(dims)")
        return md
    }

    /// A memory object that will point at caller-owned buffers (set per execution).
    static func memory(_ md: dnnl_memory_desc_t) -> dnnl_memory_t {
        var m: dnnl_memory_t?
        var desc = md
        check(dnnl_memory_create(&m, &desc, engine, shim_dnnl_memory_none()), "memory")
        return m!
    }

    /// A memory object that owns its buffer (weights in the primitive's preferred layout).
    static func ownedMemory(_ md: UnsafePointer<dnnl_memory_desc_t>) -> dnnl_memory_t {
        var m: dnnl_memory_t?
        check(dnnl_memory_create(&m, md, engine, shim_dnnl_memory_allocate()), "owned memory")
        return m!
    }

    static func primitive(_ pd: dnnl_primitive_desc_t) -> dnnl_primitive_t {
        var p: dnnl_primitive_t?
        check(dnnl_primitive_create(&p, pd), "primitive")
        return p!
    }

    static func implementation(_ pd: dnnl_primitive_desc_t) -> String {
        var name: UnsafePointer<CChar>?
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name), "impl query")
        return String(cString: name!)
    }

    /// A reorder between two layouts, or nil when they are the same.
    static func reorder(from src: UnsafePointer<dnnl_memory_desc_t>, to dst: UnsafePointer<dnnl_memory_desc_t>)
        -> dnnl_primitive_t?
    {
        if dnnl_memory_desc_equal(src, dst) != 0 { return nil }
        var pd: dnnl_primitive_desc_t?
        check(dnnl_reorder_primitive_desc_create(&pd, src, engine, dst, engine, nil), "reorder desc")
        defer { dnnl_primitive_desc_destroy(pd) }
        return primitive(pd!)
    }

    static func setHandle(_ m: dnnl_memory_t, _ p: UnsafeMutableRawPointer) {
        check(dnnl_memory_set_data_handle(m, p), "set handle")
    }

    static func execute(_ p: dnnl_primitive_t, _ args: [(Int32, dnnl_memory_t)]) {
        let a = args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1) }
        check(dnnl_primitive_execute(p, stream, Int32(a.count), a), "execute")
        check(dnnl_stream_wait(stream), "stream wait")
    }

    static func runReorder(_ p: dnnl_primitive_t, from: dnnl_memory_t, to: dnnl_memory_t) {
        execute(p, [(DNNL_ARG_FROM, from), (DNNL_ARG_TO, to)])
    }
}
