import ECGCore
import ECGTraining
import Foundation
import TensorFormats
import Torch

/// Builds the network `ecg pretrain` trains, from the resolved settings.
///
/// Each network of ECGModels adapts to `Pretrainable` and gets one case here as it lands; until then the command
/// says which network is missing. Tests install `factory` to train a small network of their own end to end.
enum PretrainNetworks {
  /// Set only by tests, before a command runs.
  nonisolated(unsafe) static var factory: ((PretrainSettings) throws -> any Pretrainable)?

  static func make(_ settings: PretrainSettings) throws -> any Pretrainable {
    if let factory { return try factory(settings) }
    throw CommandError(
      "\(settings.neuralNetwork.rawValue) is not in this build yet: the networks are being added to ECGModels; "
        + "everything else of the run was checked (try --dev again once it lands)")
  }

  /// `--nn_ckpt`: initial weights from one of our checkpoint folders (or a `.safetensors` file) or a reference
  /// `.pt`; with `--ema` the EMA weights when the checkpoint has them (models.md §2.1). The discrete decoder
  /// loads strictly, every other network non-strictly, as the reference does; the report lists what did not
  /// match.
  static func loadInitialWeights(_ path: String, into network: any Pretrainable, settings: PretrainSettings) throws
    -> LoadReport
  {
    let url = URL(fileURLWithPath: path)
    let state: StateDict
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      let checkpoint = try CheckpointFolder.resolve(url)
      state = try (settings.ema ? checkpoint.emaState() : nil) ?? checkpoint.modelState()
    } else if url.pathExtension == "safetensors" {
      state = try StateDict(safetensorsAt: url)
    } else {
      let hasEMA = try settings.ema && TorchCheckpoint(contentsOf: url)["ema_state_dict"] != nil
      state = try StateDict(torchCheckpointAt: url, entry: hasEMA ? "ema_state_dict" : "model_state_dict")
    }
    return try network.module.load(stateDict: state, strict: settings.neuralNetwork == .decoder)
  }
}
