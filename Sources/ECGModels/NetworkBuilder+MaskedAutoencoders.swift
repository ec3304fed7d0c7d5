import ECGCore
import ECGText
import Foundation
import Torch

extension NetworkBuilder {
  /// MAE-ViT, MERL, MLAE, MTAE and ST-MEM from the flags as the reference's builder makes them (models.md §2):
  /// `mae_vit` by substring ("mae"), `merl` by substring, the others by exact name; nil for any other name.
  /// MERL takes its text model from `textEncoder` (a BERT with a pooler, e.g. `ECGText.BertModel`), else from the
  /// local Hugging Face folder `--text_feature_extractor` names (the reference always loads MedCPT and uses the flag
  /// only for the tokenizer, which must match); without either it is built for features only, which
  /// `--objective merl` (training) refuses.
  static func buildMaskedAutoencoderOrMerl(_ flags: BuilderFlags, textEncoder: Module?) throws -> BuiltNetwork? {
    let name = flags.neuralNetwork
    let network: any ECGNetwork
    if name.contains("mae") {
      let config = MAEViTConfig(patchDim: flags.patchDim)
      try config.validate()
      network = MAEViT(config: config)
    } else if name.contains("merl") {
      let textModel = try textEncoder.map { $0 as? any MerlTextModel } ?? merlTextModel(flags)
      if textModel == nil && flags.objective == "merl" {
        throw ModelConfigurationError(
          "MERL trains against report embeddings: give it a BERT-like text model folder (--text_feature_extractor)")
      }
      network = try Merl(
        config: MerlConfig(segmentLength: flags.segmentLen, distributed: flags.distributed), textModel: textModel)
    } else if name == "mlae" {
      let config = MLAEConfig(segmentLength: flags.segmentLen)
      try config.validate()
      network = MLAE(config: config)
    } else if name == "mtae" || name == "st_mem" {
      let config = MTAEConfig(segmentLength: flags.segmentLen)
      try config.validate()
      network = name == "mtae" ? MTAE(config: config) : STMEM(config: config)
    } else {
      return nil
    }
    return BuiltNetwork(network: network, findUnusedParameters: false)
  }

  /// The BERT in the `--text_feature_extractor` folder (`config.json`, weights), frozen; nil without the flag.
  static func merlTextModel(_ flags: BuilderFlags) throws -> (any MerlTextModel)? {
    guard let path = flags.textFeatureExtractor else { return nil }
    let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true)
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
      throw ModelConfigurationError(
        "--text_feature_extractor \(path) is not a local Hugging Face folder: download the model (e.g. "
          + "ncbi/MedCPT-Query-Encoder) and give its folder")
    }
    return try TextModelFolder(url).loadModel()
  }
}

extension MAEViT: ECGNetwork {
  public func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .patches(let batch) = input else { preconditionFailure("MAE-ViT trains on patch batches") }
    return self(batch).loss
  }
}

/// MTAE and MLAE (its subclass): the reference's `series` batch is a `SignalBatch` here (models.md §9.6).
extension MTAE: ECGNetwork {
  public func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("MTAE and MLAE train on signal batches") }
    return self(batch, draws: draws).loss
  }
}

extension STMEM: ECGNetwork {
  public func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("ST-MEM trains on signal batches") }
    return self(batch, draws: draws).loss
  }
}

extension Merl: ECGNetwork {
  public func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("MERL trains on signal batches with reports") }
    return self(batch).loss
  }
}
