import Foundation

/// A small 2-D plot: axes with ticks and labels, a title, series as lines or points, a legend.
/// Enough for loss curves and latent scatters that look like plots in a report.
public struct Plot {
    public struct Series {
        public var name: String
        public var points: [(Double, Double)]
        public var color: (Double, Double, Double)
        public var asPoints = false
        public init(name: String, points: [(Double, Double)], color: (Double, Double, Double), asPoints: Bool = false) {
            self.name = name; self.points = points; self.color = color; self.asPoints = asPoints
        }
    }

    public var title: String
    public var xLabel: String, yLabel: String
    public var xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
    public var logY = false
    public var series: [Series] = []
    public var width = 900, height = 600

    /// matplotlib's 'tab10' colours, for series.
    public static let palette: [(Double, Double, Double)] = [
        (0.12, 0.47, 0.71), (1.0, 0.50, 0.05), (0.17, 0.63, 0.17), (0.84, 0.15, 0.16), (0.58, 0.40, 0.74),
        (0.55, 0.34, 0.29), (0.89, 0.47, 0.76), (0.50, 0.50, 0.50), (0.74, 0.74, 0.13), (0.09, 0.75, 0.81)
    ]

    public init(title: String, xLabel: String, yLabel: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>)
    {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.xRange = xRange; self.yRange = yRange
    }

    /// "Nice" tick values (1, 2, 5 x 10^k steps) covering a range.
    public static func ticks(_ r: ClosedRange<Double>, target: Int = 6) -> [Double] {
        let span = r.upperBound - r.lowerBound
        guard span > 0 else { return [r.lowerBound] }
        let raw = span / Double(target)
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var t = ceil(r.lowerBound / step) * step
        var out: [Double] = []
        while t <= r.upperBound + step * 1e-9 { out.append(abs(t) < step * 1e-9 ? 0 : t); t += step }
        return out
    }

    static func format(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e4 || abs(v) < 1e-3 { return String(format: "%.0e", v) }
        return String(format: "%g", (v * 1e6).rounded() / 1e6)
    }

    public func render() -> Surface {
        let s = Surface(width: width, height: height)
        s.fill(1, 1, 1)
        let font = 14.0
        let left = 90.0, right = 30.0, top = 50.0, bottom = 70.0
        let pw = Double(width) - left - right, ph = Double(height) - top - bottom
        let yT: (Double) -> Double = logY ? { log10(max($0, 1e-300)) } : { $0 }
        let y0 = yT(yRange.lowerBound), y1 = yT(yRange.upperBound)
        func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * pw }
        func py(_ y: Double) -> Double { top + ph - (yT(y) - y0) / (y1 - y0) * ph }

        s.text(title, x: left + pw / 2, y: top - 18, size: font * 1.15, align: .center)
        // Grid and ticks.
        let grey = (0.88, 0.88, 0.88)
        for t in Self.ticks(xRange) {
            s.line([(px(t), top), (px(t), top + ph)], width: 1, color: grey)
            s.line([(px(t), top + ph), (px(t), top + ph + 5)], width: 1, color: (0, 0, 0))
            s.text(Self.format(t), x: px(t), y: top + ph + 22, size: font * 0.85, align: .center)
        }
        let yTicks: [Double] =
            logY
            ? (Int(floor(y0))...Int(ceil(y1))).map { pow(10, Double($0)) }.filter { yRange.contains($0) }
            : Self.ticks(yRange)
        for t in yTicks {
            s.line([(left, py(t)), (left + pw, py(t))], width: 1, color: grey)
            s.line([(left - 5, py(t)), (left, py(t))], width: 1, color: (0, 0, 0))
            s.text(Self.format(t), x: left - 9, y: py(t) + 5, size: font * 0.85, align: .right)
        }
        s.text(xLabel, x: left + pw / 2, y: Double(height) - 22, size: font, align: .center)
        s.text(yLabel, x: 24, y: top + ph / 2, size: font, align: .center, rotate: true)
        // Data, clipped to the axes.
        s.clip(x: left, y: top, width: pw, height: ph)
        for series in series {
            if series.asPoints {
                for p in series.points { s.dot(x: px(p.0), y: py(p.1), radius: 2.5, color: series.color, alpha: 0.6) }
            } else {
                s.line(series.points.map { (px($0.0), py($0.1)) }, width: 1.5, color: series.color)
            }
        }
        s.resetClip()
        s.rectangle(x: left, y: top, width: pw, height: ph)
        // Legend, top right.
        let named = series.filter { !$0.name.isEmpty }
        if !named.isEmpty {
            let lw = (named.map { s.textWidth($0.name, size: font * 0.9) }.max() ?? 0) + 46
            let lx = left + pw - lw - 10, ly = top + 10
            s.rectangle(x: lx, y: ly, width: lw, height: Double(named.count) * 22 + 8, color: (0.7, 0.7, 0.7))
            for (k, series) in named.enumerated() {
                let y = ly + 15 + Double(k) * 22
                if series.asPoints {
                    s.dot(x: lx + 18, y: y, radius: 4, color: series.color)
                } else {
                    s.line([(lx + 8, y), (lx + 30, y)], width: 2, color: series.color)
                }
                s.text(series.name, x: lx + 38, y: y + 5, size: font * 0.9)
            }
        }
        return s
    }
}
