import ECGCore
import ECGText
import Foundation
import Torch

/// `ECGText.BertModel` as DiT's frozen text model (`--condition text`): its `last_hidden_state`.
extension BertModel: TextEncoder {
  public var hiddenSize: Int { configuration.hiddenSize }

  public func lastHiddenState(_ text: TextCondition) -> Tensor { self(text).lastHiddenState }
}

extension NetworkBuilder {
  /// The text model `--text_feature_extractor` names: a local Hugging Face folder (`config.json`, weights,
  /// tokenizer) holding a BERT, loaded with its weights.
  public static func loadTextEncoder(_ flags: BuilderFlags) throws -> any TextEncoder {
    guard let path = flags.textFeatureExtractor else {
      throw ModelConfigurationError(
        "--condition text needs --text_feature_extractor: the folder of a Hugging Face BERT model")
    }
    let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw ModelConfigurationError(
        "--text_feature_extractor \(path) is not a local folder: download the model and give its folder")
    }
    return try TextModelFolder(url).loadModel()
  }
}
