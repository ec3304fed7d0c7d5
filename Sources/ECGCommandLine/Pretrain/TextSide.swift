import ECGCore
import ECGModels
import ECGText
import Foundation
import Torch

extension PretrainSettings {
  /// The `--text_feature_extractor` folder, for text conditioning and MERL; nil when neither is used.
  func textModelFolder() throws -> TextModelFolder? {
    guard condition == "text" || neuralNetwork == .merl else { return nil }
    return try TextModelFolder(URL(fileURLWithPath: textFeatureExtractor ?? TextModelFolder.defaultURL.path))
  }
}
