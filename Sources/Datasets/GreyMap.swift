/// How a grey image is shown: an ink value (0 paper ... 1 full ink) as a luminance (1 white ...
/// 0 black). Every picture of a grey model's images goes through one map: the films, sheets and
/// plates (`Surface.drawImage`), the report page and the studio (`explore.js`, `studio.js`, given
/// `table` by `WebModel`), and `evaluate --sheet`, which takes it back off.
///
/// The notebook's `plot_digits` draws `1 - v` through matplotlib's 'Greys_r', which shows v through
/// 'Greys': ColorBrewer's nine greys at ink 0, 1/8, ..., 1, joined linearly. It is lighter than a
/// straight ramp in the light greys (ink 0.25 shows at 0.85, on a ramp at 0.75), so a stroke's soft
/// edge shows fainter and the stroke thinner. The article's figures were drawn through it: its
/// input row matches 'Greys' to rms 0.034 and a ramp to 0.059.
public enum GreyMap: String, CaseIterable, Codable, Sendable {
    /// matplotlib's 'Greys', as the notebook drew: what this program draws.
    case greys
    /// A straight ramp, luminance = 1 - ink: what this program drew before 2026-12-07.
    case linear

    /// 'Greys' (matplotlib's `_Greys_data`, ColorBrewer's #ffffff, #f0f0f0, #d9d9d9, #bdbdbd,
    /// #969696, #737373, #525252, #252525, #000000): the luminance bytes at ink 0, 1/8, ..., 1.
    public static let greysStops: [UInt8] = [255, 240, 217, 189, 150, 115, 82, 37, 0]

    /// The luminance (0...1) that shows `ink` (clamped to 0...1).
    public func luminance(ink: Double) -> Double {
        let v = min(1, max(0, ink))
        switch self {
        case .linear: return 1 - v
        case .greys:
            let at = v * Double(Self.greysStops.count - 1), i = min(Int(at), Self.greysStops.count - 2)
            let t = at - Double(i)
            return (Double(Self.greysStops[i]) * (1 - t) + Double(Self.greysStops[i + 1]) * t) / 255
        }
    }

    /// The ink (0...1) that `luminance` (clamped to 0...1) shows: the map taken back off a
    /// picture. Both maps fall strictly, so each luminance has one ink.
    public func ink(luminance: Double) -> Double {
        let l = min(1, max(0, luminance))
        switch self {
        case .linear: return 1 - l
        case .greys:
            let stops = Self.greysStops, last = stops.count - 1
            let stop = { (k: Int) in Double(stops[k]) / 255 }
            var i = 0
            while i < last - 1 && l < stop(i + 1) { i += 1 }
            let t = (stop(i) - l) / (stop(i) - stop(i + 1))
            return (Double(i) + min(1, max(0, t))) / Double(last)
        }
    }

    /// The luminance byte shown for each ink byte (index b is ink b/255), rounded: the map as
    /// the pictures and pages apply it.
    public var table: [UInt8] {
        (0...255).map { UInt8((255 * luminance(ink: Double($0) / 255)).rounded()) }
    }
}
