import Evaluation
import RunModel

/// The help of `--inputs` (`SheetInputs`: the input digits of a style-transfer sheet).
extension SheetInputs {
    static let help =
        "The input digits by test index (comma-separated, all of one label), or 'article' for the article's ten 7s ("
        + ArticleModel.styleTransferInputs.testIndices.map(String.init).joined(separator: ",") + ")."
}
