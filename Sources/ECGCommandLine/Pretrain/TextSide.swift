import ECGCore
import ECGModels
import ECGText
import Foundation
import Torch

// The BERT of ECGText as DiT's text encoder and MERL's text model (its keys sit under the network's
// `condition_embedder.text_feature_extractor.*` / `lm.*`, as in the reference).
extension BertModel: TextEncoder {
  public var hiddenSize: Int { configuration.hiddenSize }
  public func lastHiddenState(_ text: TextCondition) -> Tensor { self(text).lastHiddenState }
}

extension BertModel: MerlTextModel {
  public var pooledWidth: Int { configuration.hiddenSize }
  public func pooledOutput(_ text: TextCondition) -> Tensor {
    guard let pooled = self(text).poolerOutput else {
      preconditionFailure("MERL needs a text model with a pooling layer (pooler.* weights)")
    }
    return pooled
  }
}

extension PretrainSettings {
  /// The `--text_feature_extractor` folder, for text conditioning and MERL; nil when neither is used.
  func textModelFolder() throws -> TextModelFolder? {
    guard condition == "text" || neuralNetwork == .merl else { return nil }
    return try TextModelFolder(URL(fileURLWithPath: textFeatureExtractor ?? TextModelFolder.defaultURL.path))
  }
}
