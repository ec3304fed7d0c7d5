import Foundation

extension PretrainSettings {
  /// Points a recorded run at the new places of its files (`ecg pretrain --resume`, `ecg eval` and `ecg sample`
  /// on a run folder): the stores or reference names of `data` (checked as `--data` is), `dataDir`, the ECG-Byte
  /// tokenizer and the text model. Empty or nil keeps what the run recorded; paths are made absolute.
  mutating func relocate(
    data: [String] = [], dataDir: String? = nil, bpeTokenizerPath: String? = nil, textFeatureExtractor: String? = nil
  ) throws {
    if let dataDir { self.dataDir = absolutePath(dataDir) }
    if !data.isEmpty {
      for entry in data {
        try PretrainCommand.checkDataset(entry, dataDir: self.dataDir, segmentLength: segmentLen, samplingRate: sf)
      }
      self.data = data.map(absoluteIfOnDisk)
    }
    if let bpeTokenizerPath { self.bpeTokenizerPath = absolutePath(bpeTokenizerPath) }
    if let textFeatureExtractor { self.textFeatureExtractor = absolutePath(textFeatureExtractor) }
  }
}
