import Foundation

/// What each of `evaluate`'s numbers is, said once: `evaluate --help` lists these, the report
/// shows each beside its value.
public enum Measure: CaseIterable, Sendable {
    case manifoldAccuracy, randomAccuracy, styleTransferAccuracy, styleSpread, manifoldVariation
    case manifoldVariationOwnAxes, inkCarry, widthCarry, slantCarry, generatedInk, hueCarry, saturationCarry
    case brightnessCarry, sheetCarry, thinStaysThin
    case sharpness, diversity, frechetDistance, reconstructionBCE, reconstructionMSE

    public var name: String {
        switch self {
        case .manifoldAccuracy: return "label accuracy, manifold grids"
        case .randomAccuracy: return "label accuracy, random z"
        case .styleTransferAccuracy: return "style-transfer accuracy"
        case .styleSpread: return "style spread"
        case .manifoldVariation: return "manifold variation"
        case .manifoldVariationOwnAxes: return "manifold variation, own axes"
        case .inkCarry: return "ink carry"
        case .widthCarry: return "width carry"
        case .slantCarry: return "slant carry"
        case .generatedInk: return "generated ink / input ink"
        case .hueCarry: return "hue carry"
        case .saturationCarry: return "saturation carry"
        case .brightnessCarry: return "brightness carry"
        case .sheetCarry: return "ink carry, one sheet"
        case .thinStaysThin: return "ink range kept"
        case .sharpness: return "sharpness / real digits"
        case .diversity: return "diversity / real digits"
        case .frechetDistance: return "Fréchet distance"
        case .reconstructionBCE: return "reconstruction BCE"
        case .reconstructionMSE: return "reconstruction MSE"
        }
    }

    public var meaning: String {
        switch self {
        case .manifoldAccuracy: return "the classifier reads the conditioning label in the ten 15x15 grids"
        case .randomAccuracy: return "the same in digits decoded from z ~ N(0, I) (--samples per label)"
        case .styleTransferAccuracy:
            return
                "the same with the target label, in 100 test digits per label each re-drawn with the nine other labels"
        case .styleSpread:
            return
                "how much the columns of a style-transfer sheet differ: mean pairwise pixel distance of one row / of the real digits it came from (0 = one digit copied)"
        case .manifoldVariation:
            return
                "per-pixel standard deviation across a manifold grid's 225 tiles, mean over labels (0 = one digit drawn 225 times), with the 5-95% ranges across its tiles of ink (mean intensity), width (px) and slant (columns per row)"
        case .manifoldVariationOwnAxes:
            return
                "the same over each label's own axes, the two latent dimensions whose z_mean varies most over its test digits (the notebook's grid varies z[0] and z[1], whichever those are)"
        case .inkCarry:
            return
                "how much of its inputs' stroke weight a style-transfer sheet keeps: per generated row, the spread (std) of the columns' ink over the spread of the inputs' ink, mean over rows; sheets of each label's first 100 test digits, mean over labels (1 = carried whole, 0 = every column the same)"
        case .widthCarry: return "the same for width, the spread of the ink's columns"
        case .slantCarry: return "the same for slant, the shear of the ink"
        case .generatedInk:
            return "the same sheets' generated digits' mean ink over their inputs' (1 = as bold as the inputs)"
        case .hueCarry:
            return
                "colour sets only: in the same sheets, the cosine of each column's hue (its brightness-weighted mean colour) less its input's, weighted by the input's saturation, mean over the generated rows (1 = each input's hue kept, 0 = one hue for every input)"
        case .saturationCarry:
            return "the correlation, across a row's columns, of their saturation with their inputs', mean over rows"
        case .brightnessCarry: return "the same for brightness, the brightest channel of the mean colour"
        case .sheetCarry:
            return
                "the carry of the one sheet of --inputs (MNIST: the article's ten 7s): ink, width and slant carry, generated/input ink and the columns' ink correlation with their inputs'"
        case .thinStaysThin:
            return
                "test digits cut into deciles by their ink: the reconstructions' ink range between the thinnest and the boldest decile over the inputs' (1 = thin comes back thin and bold bold)"
        case .sharpness: return "mean image-gradient magnitude of random-z digits / of real test digits (1 = as sharp)"
        case .diversity: return "mean within-label classifier-feature distance, generated / real (1 = as varied)"
        case .frechetDistance:
            return "between classifier features of random-z digits and of the test set (lower is closer)"
        case .reconstructionBCE: return "pixel cross-entropy of dec(z_mean(x), y) over the test digits"
        case .reconstructionMSE: return "pixel squared error of the same"
        }
    }

    /// The value as the report shows it.
    public func value(in r: Evaluator.Report) -> String {
        func pct(_ v: Double) -> String { String(format: "%.1f%%", 100 * v) }
        switch self {
        case .manifoldAccuracy: return pct(r.manifoldAccuracy.overall)
        case .randomAccuracy: return pct(r.randomAccuracy.overall)
        case .styleTransferAccuracy: return pct(r.styleTransferAccuracy.overall)
        case .styleSpread: return String(format: "%.3f", r.styleSpreadRatio)
        case .manifoldVariation, .manifoldVariationOwnAxes:
            guard let v = self == .manifoldVariation ? r.manifoldVariation : r.manifoldVariationOwnAxes else {
                return "not measured"
            }
            return String(
                format: "%.3f (ranges across tiles: ink %.3f, width %.2f px, slant %.2f)", v.tileSpread, v.inkRange,
                v.widthRange,
                v.slantRange)
        case .inkCarry, .widthCarry, .slantCarry, .generatedInk, .thinStaysThin, .hueCarry, .saturationCarry,
            .brightnessCarry:
            return number(in: r).map { String(format: "%.3f", $0) } ?? "not measured"
        case .sheetCarry:
            guard let c = r.sheetCarry else { return "not measured" }
            return String(
                format: "ink %.2f, width %.2f, slant %.2f; generated/input ink %.2f; ink correlation %.2f",
                c.inkCarry, c.widthCarry, c.slantCarry, c.inkRatio, c.inkCorrelation)
        case .sharpness: return String(format: "%.3f", r.sharpnessRatio)
        case .diversity: return String(format: "%.3f", r.diversityRatio)
        case .frechetDistance: return String(format: "%.2f", r.frechetDistance)
        case .reconstructionBCE: return String(format: "%.4f", r.reconstructionBce)
        case .reconstructionMSE: return String(format: "%.4f", r.reconstructionMse)
        }
    }

    /// The value as one number, for tables that average runs (a variation: its tile spread); nil
    /// where the evaluation did not measure it.
    public func number(in r: Evaluator.Report) -> Double? {
        switch self {
        case .manifoldAccuracy: return r.manifoldAccuracy.overall
        case .randomAccuracy: return r.randomAccuracy.overall
        case .styleTransferAccuracy: return r.styleTransferAccuracy.overall
        case .styleSpread: return r.styleSpreadRatio
        case .manifoldVariation: return r.manifoldVariation?.tileSpread
        case .manifoldVariationOwnAxes: return r.manifoldVariationOwnAxes?.tileSpread
        case .inkCarry: return r.styleCarry?.inkCarry
        case .widthCarry: return r.styleCarry?.widthCarry
        case .slantCarry: return r.styleCarry?.slantCarry
        case .generatedInk: return r.styleCarry?.inkRatio
        case .hueCarry: return r.colourCarry?.hueCarry
        case .saturationCarry: return r.colourCarry?.saturationCarry
        case .brightnessCarry: return r.colourCarry?.brightnessCarry
        case .sheetCarry: return r.sheetCarry?.inkCarry
        case .thinStaysThin: return r.reconstructionInkDeciles.flatMap(InkDecile.rangeKept)
        case .sharpness: return r.sharpnessRatio
        case .diversity: return r.diversityRatio
        case .frechetDistance: return r.frechetDistance
        case .reconstructionBCE: return r.reconstructionBce
        case .reconstructionMSE: return r.reconstructionMse
        }
    }

    /// Whether it measures colour, and so only a colour set's evaluations have it.
    public var isColour: Bool { [.hueCarry, .saturationCarry, .brightnessCarry].contains(self) }

    /// The measures an evaluation holds: the colour ones only where it measured colour.
    public static func shown(in r: Evaluator.Report) -> [Measure] {
        allCases.filter { !$0.isColour || r.colourCarry != nil }
    }

    /// Every measure, a line each, for a command's help.
    public static var glossary: String { allCases.map { "\($0.name): \($0.meaning)." }.joined(separator: "\n") }
}
