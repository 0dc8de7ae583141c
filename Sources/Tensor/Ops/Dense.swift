import CBLAS

public extension Tape {
    /// Dense layer: y[N, out] = x[N, in] . W[in, out] + b[out]  (Keras kernel layout).
    func dense(_ x: Variable, _ w: Variable, _ b: Variable) -> Variable {
        let (n, k, m) = (x.shape[0], x.shape[1], w.shape[1])
        precondition(
            x.shape.count == 2 && w.shape == [k, m] && b.shape == [m], "dense: x \(x.shape) w \(w.shape) b \(b.shape)")
        let y = Tensor(shape: [n, m])
        let flops = 2 * Double(n) * Double(k) * Double(m)
        FlopCounter.add(flops)
        for r in 0..<n { (y.data + r * m).update(from: b.value.data, count: m) }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m), Int32(k),
            1, x.value.data, Int32(k), w.value.data, Int32(m), 1, y.data, Int32(m))
        return record(y, inputs: [x, w, b]) { out in
            let dy = out.grad!.data
            if x.needsGrad {  // dx += dy . W^T
                FlopCounter.add(flops)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(k), Int32(m),
                    1, dy, Int32(m), w.value.data, Int32(m), 1, x.gradBuffer().data, Int32(k))
            }
            if w.needsGrad {  // dW += x^T . dy
                FlopCounter.add(flops)
                cblas_sgemm(
                    CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(m), Int32(n),
                    1, x.value.data, Int32(k), dy, Int32(m), 1, w.gradBuffer().data, Int32(m))
            }
            if b.needsGrad {  // db += sum over rows of dy
                let db = b.gradBuffer().data
                for r in 0..<n { for c in 0..<m { db[c] += dy[r * m + c] } }
            }
        }
    }
}

public extension Tensor {
    /// c[m, n] = a[m, k] . b[k, n], off the tape (OpenBLAS sgemm on its current thread count).
    static func multiply(_ a: Tensor, _ b: Tensor, into c: Tensor) {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        precondition(
            a.shape.count == 2 && b.shape == [k, n] && c.shape == [m, n],
            "multiply: a \(a.shape) b \(b.shape) c \(c.shape)")
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
            1, a.data, Int32(k), b.data, Int32(n), 0, c.data, Int32(n))
    }
}
