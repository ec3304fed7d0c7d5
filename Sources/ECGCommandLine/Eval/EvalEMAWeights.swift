import Foundation
import TensorFormats

extension EvalCommand {
  /// Throws unless the checkpoint `--ema` asks for holds EMA weights: `ema.safetensors` in a checkpoint folder,
  /// an `ema_state_dict` in a reference `.pt`; a lone `.safetensors` file holds one set of weights. The loader
  /// falls back to the plain weights as the reference does, which would report them as the EMA's.
  static func checkEMAWeights(_ checkpoint: String) throws {
    let url = URL(fileURLWithPath: checkpoint)
    let advice = "drop --ema to evaluate its weights, or pretrain with --ema"
    var isFolder: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: checkpoint, isDirectory: &isFolder)
    if isFolder.boolValue {
      guard !FileManager.default.fileExists(atPath: url.appendingPathComponent("ema.safetensors").path) else { return }
      throw CommandError(
        "--ema: the checkpoint \(checkpoint) has no EMA weights (no ema.safetensors: its run trained without --ema); "
          + advice)
    }
    if url.pathExtension == "safetensors" {
      throw CommandError(
        "--ema: \(checkpoint) is a single .safetensors file, which holds one set of weights and no EMA; drop --ema, "
          + "or pass the checkpoint folder with its ema.safetensors")
    }
    // A file that does not open is left to the loader, whose message says what is wrong with it.
    guard let file = try? TorchCheckpoint(contentsOf: url, verifyChecksums: false), file["ema_state_dict"] == nil
    else { return }
    throw CommandError(
      "--ema: the checkpoint \(checkpoint) has no ema_state_dict (its run trained without EMA); " + advice)
  }
}
