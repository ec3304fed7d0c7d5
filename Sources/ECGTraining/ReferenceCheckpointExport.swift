import Foundation
import TensorFormats
import Torch

/// Turns one of our checkpoint folders into the reference's `torch.save` dictionary (pipeline.md §10.1):
/// `epoch`, `step` (−1 for epoch checkpoints), `model_state_dict`, `optimizer_state_dict` and, with an EMA,
/// `ema_state_dict`, so `model.load_state_dict(ckpt["model_state_dict"], strict=True)` works in the reference.
///
/// The optimizer state follows PyTorch's layout: `{"state": {i: {...}}, "param_groups": [{..., "params":
/// [0, …]}]}` with index i the i-th trainable parameter; Adam/AdamW entries `step` (float32 scalar tensor),
/// `exp_avg`, `exp_avg_sq`; Muon `momentum_buffer`; in Muon mode the pair `{"muon": …, "adamw": …}`. The
/// group's `lr` is a plain float (the reference's can be a NumPy scalar). A folder `ecg checkpoint convert` wrote
/// gives back the entries it was converted from (``ConvertedCheckpoint``).
public enum ReferenceCheckpointExport {
  /// The checkpoint as the reference's dictionary.
  public static func value(of checkpoint: CheckpointFolder) throws -> CheckpointValue {
    if ConvertedCheckpoint.isConverted(checkpoint) { return try convertedValue(of: checkpoint) }
    let trainer = try checkpoint.trainerState()
    var entries: [CheckpointEntry] = [
      entry("epoch", .int(Int64(trainer.checkpointEpoch))),
      entry("step", .int(Int64(trainer.checkpointStep))),
      entry("model_state_dict", stateDictValue(try checkpoint.modelState())),
    ]
    let optimizer = try checkpoint.optimizerState()
    let groups = try trainer.optimizerGroups.map { try optimizerValue(optimizer.scoped($0.name), group: $0) }
    switch groups.count {
    case 0: break
    case 1: entries.append(entry("optimizer_state_dict", groups[0]))
    default:
      entries.append(
        entry(
          "optimizer_state_dict",
          .dictionary(zip(trainer.optimizerGroups, groups).map { entry($0.name, $1) })))
    }
    if let ema = try checkpoint.emaState() { entries.append(entry("ema_state_dict", stateDictValue(ema))) }
    return .dictionary(entries)
  }

  /// A folder `ecg checkpoint convert` wrote: the reference's entries it was converted from, `epoch` and `step`
  /// first, then the state dicts, then the other plain entries.
  private static func convertedValue(of checkpoint: CheckpointFolder) throws -> CheckpointValue {
    let plain = try ConvertedCheckpoint.plainEntries(in: checkpoint)
    func isLeading(_ entry: CheckpointEntry) -> Bool {
      if case .string(let key) = entry.key { return key == "epoch" || key == "step" }
      return false
    }
    var entries = plain.filter(isLeading)
    entries.append(entry("model_state_dict", stateDictValue(try checkpoint.modelState())))
    if let optimizer = try ConvertedCheckpoint.optimizerState(in: checkpoint) {
      entries.append(entry("optimizer_state_dict", optimizer))
    }
    if let ema = try checkpoint.emaState() { entries.append(entry("ema_state_dict", stateDictValue(ema))) }
    return .dictionary(entries + plain.filter { !isLeading($0) })
  }

  /// Writes the checkpoint as a `.pt` file.
  public static func write(_ checkpoint: CheckpointFolder, to url: URL) throws {
    let archive = url.deletingPathExtension().lastPathComponent
    try TorchCheckpointWriter.write(
      value(of: checkpoint), to: url, archiveName: archive.isEmpty ? "archive" : archive,
      orderedDictionaries: ["model_state_dict"])
  }

  private static func entry(_ key: String, _ value: CheckpointValue) -> CheckpointEntry {
    CheckpointEntry(key: .string(key), value: value)
  }

  private static func stateDictValue(_ state: StateDict) -> CheckpointValue {
    .dictionary(state.map { entry($0.name, .tensor($0.tensor.to(device: .cpu).contiguous().stored())) })
  }

  private static func optimizerValue(_ state: OptimizerState, group: OptimizerGroupRecord) throws -> CheckpointValue {
    let isMuon = group.name == "muon"
    var perParameter: [CheckpointEntry] = []
    for (index, name) in group.parameters.enumerated() {
      var fields: [CheckpointEntry] = []
      if isMuon {
        if let buffer = state.tensors["momentum_buffer/\(name)"] {
          fields.append(entry("momentum_buffer", tensor(buffer)))
        }
      } else if let average = state.tensors["exp_avg/\(name)"], let squares = state.tensors["exp_avg_sq/\(name)"] {
        let steps = state.scalars["param_step/\(name)"] ?? state.scalars["step"] ?? 0
        fields.append(entry("step", tensor(Tensor(scalar: Float(steps)))))
        fields.append(entry("exp_avg", tensor(average)))
        fields.append(entry("exp_avg_sq", tensor(squares)))
      }
      if !fields.isEmpty { perParameter.append(CheckpointEntry(key: .int(Int64(index)), value: .dictionary(fields))) }
    }
    let parameters = CheckpointValue.list(group.parameters.indices.map { .int(Int64($0)) })
    let settings: [CheckpointEntry]
    if isMuon {
      settings = [
        entry("lr", .float(group.learningRate)), entry("weight_decay", .float(group.weightDecay)),
        entry("momentum", .float(group.momentum)), entry("nesterov", .bool(true)),
        entry("ns_coefficients", .tuple([.float(3.4445), .float(-4.775), .float(2.0315)])),
        entry("eps", .float(group.eps)), entry("ns_steps", .int(Int64(group.newtonSchulzSteps))),
        entry("adjust_lr_fn", .none), entry("params", parameters),
      ]
    } else {
      settings = [
        entry("lr", .float(group.learningRate)), entry("betas", .tuple([.float(group.beta1), .float(group.beta2)])),
        entry("eps", .float(group.eps)), entry("weight_decay", .float(group.weightDecay)),
        entry("amsgrad", .bool(false)), entry("maximize", .bool(false)), entry("foreach", .none),
        entry("capturable", .bool(false)), entry("differentiable", .bool(false)), entry("fused", .none),
        entry("decoupled_weight_decay", .bool(group.name == "adamw")), entry("params", parameters),
      ]
    }
    return .dictionary([
      entry("state", .dictionary(perParameter)), entry("param_groups", .list([.dictionary(settings)])),
    ])
  }

  private static func tensor(_ tensor: Tensor) -> CheckpointValue {
    .tensor(tensor.to(device: .cpu).contiguous().stored())
  }
}
