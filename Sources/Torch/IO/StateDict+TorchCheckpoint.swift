import Foundation
import TensorFormats

extension StateDict {
  /// Reads a state dict from a PyTorch checkpoint written by `torch.save` (safely: no code runs). `entry`
  /// names the top-level key holding it (the reference's `model_state_dict` or `ema_state_dict`); nil reads
  /// a bare state dict. A `_orig_mod.` prefix left by `torch.compile` is removed.
  public init(torchCheckpointAt url: URL, entry: String? = "model_state_dict") throws {
    let checkpoint = try TorchCheckpoint(contentsOf: url)
    let value = entry.map { checkpoint[$0] } ?? checkpoint.root
    guard let pairs = value?.stateDictionary else {
      throw TorchError(
        operation: "read \(url.path)",
        message: entry.map { "the checkpoint has no state dict under '\($0)'" } ?? "the checkpoint is not a state dict")
    }
    let compiled = !pairs.isEmpty && pairs.allSatisfy { $0.name.hasPrefix("_orig_mod.") }
    self.init(
      try pairs.map { (compiled ? String($0.name.dropFirst("_orig_mod.".count)) : $0.name, try Tensor($0.tensor)) })
  }
}
