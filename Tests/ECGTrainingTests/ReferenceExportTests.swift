import Foundation
import TensorFormats
import TestSupport
import Testing
import Torch

@testable import ECGTraining

/// An exported `.pt` read back by the project's safe reader has the reference checkpoint's layout.
@Suite struct ReferenceExportTests {
  static func keys(_ value: CheckpointValue?) -> [String] {
    (value?.dictionaryEntries ?? []).compactMap { if case .string(let key) = $0.key { key } else { nil } }
  }

  static func firstStateKeys(_ optimizer: CheckpointValue?) -> [String] {
    keys(optimizer?["state"]?.dictionaryEntries?.first?.value)
  }

  static func groupKeys(_ optimizer: CheckpointValue?) -> [String] {
    guard case .list(let groups)? = optimizer?["param_groups"] else { return [] }
    return keys(groups.first)
  }

  @Test func adamWCheckpointWithEMAHasTheLayoutOfTheReferenceDiT() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        ReferenceExportTests.checkExport(kind: .adamw, against: "trans_continuous_dit.pt")
      })
  }

  @Test func muonCheckpointHasTheLayoutOfTheReferenceNEPA() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        ReferenceExportTests.checkExport(kind: .muon, against: "trans_continuous_nepa.pt")
      })
  }

  /// Trains the tiny network a few steps, exports its best checkpoint, and compares with the reference file.
  static func checkExport(kind: OptimizerKind, against referenceFile: String) {
    do {
      let folder = try! SharedFixtures.temporaryDirectory(prefix: "export")
      defer { try? FileManager.default.removeItem(at: folder) }
      var configuration = TrainingConfiguration()
      configuration.ema = kind == .adamw
      let (trainer, network) = try! makeTrainer(
        configuration, batches: SineBatches(batchesPerEpoch: 3), optimizer: kind, checkpoints: folder)
      try! trainer.run()
      let output = folder.appendingPathComponent("epoch_best.pt")
      try! ReferenceCheckpointExport.write(CheckpointFolder(at: folder.appendingPathComponent("best")), to: output)

      let ours = try! TorchCheckpoint(contentsOf: output)
      let reference = try! TorchCheckpoint(
        contentsOf: SharedFixtures.referenceDirectory.appendingPathComponent("checkpoints/\(referenceFile)"))
      precondition(ours.archiveName == "epoch_best", ours.archiveName)
      precondition(Self.keys(ours.root) == Self.keys(reference.root), "\(Self.keys(ours.root))")
      precondition(ours["epoch"]?.intValue == 0 && ours["step"]?.intValue == -1)

      // model_state_dict: every entry of the model, in order, bit-identical.
      let model = ours["model_state_dict"]!.stateDictionary!
      let expected = network.stateDict()
      precondition(model.map(\.name) == expected.names, "\(model.map(\.name)) vs \(expected.names)")
      for (entry, (_, tensor)) in zip(model, expected) {
        precondition(try! Tensor(entry.tensor).contiguousBytes() == tensor.contiguousBytes(), entry.name)
      }

      // optimizer_state_dict: the same nesting, group fields and per-parameter entries as the reference's.
      let names = kind == .muon ? ["muon", "adamw"] : [""]
      for name in names {
        let mine = name.isEmpty ? ours["optimizer_state_dict"] : ours["optimizer_state_dict"]?[name]
        let theirs = name.isEmpty ? reference["optimizer_state_dict"] : reference["optimizer_state_dict"]?[name]
        precondition(Self.groupKeys(mine) == Self.groupKeys(theirs), "\(name): \(Self.groupKeys(mine))")
        precondition(Self.firstStateKeys(mine) == Self.firstStateKeys(theirs), "\(name): \(Self.firstStateKeys(mine))")
        let indices = mine?["state"]?.dictionaryEntries?.map { $0.key.intValue! }
        precondition(indices == Array(0..<Int64(indices?.count ?? 0)) && indices!.count > 0)
      }
      if kind == .adamw {
        let step = ours["optimizer_state_dict"]?["state"]?.dictionaryEntries?.first?.value["step"]?.tensor
        precondition(step?.dtype == .float32 && step?.shape == [] && (try! Tensor(step!).item()) == 3)
        // ema_state_dict: trainable parameters only, as the reference's.
        precondition(ours["ema_state_dict"]!.stateDictionary!.map(\.name) == network.trainableParameters().map(\.name))
      }
    }
  }

  /// Every entry, key and value with its Python type, in order (a tuple reads as a list: torch.optim takes both).
  static func typed(_ value: CheckpointValue) -> String {
    switch value {
    case .none: "None"
    case .bool(let flag): "bool(\(flag))"
    case .int(let number): "int(\(number))"
    case .float(let number): "float(\(number))"
    case .string(let text): "str(\(text))"
    case .bytes(let bytes): "bytes(\(bytes))"
    case .list(let items), .tuple(let items): "[" + items.map(typed).joined(separator: ", ") + "]"
    case .dictionary(let entries):
      "{" + entries.map { typed($0.key) + ": " + typed($0.value) }.joined(separator: ", ") + "}"
    case .tensor(let tensor): "tensor(\(tensor.dtype.pytorchName), \(tensor.shape))"
    }
  }

  /// `ecg checkpoint convert` then `ecg checkpoint export` gives back every reference checkpoint: the same entries in
  /// the same order, the same tensors byte for byte (a tuple such as `betas` comes back as a list).
  @Test(arguments: [
    "checkpoints/trans_continuous_dit.pt", "checkpoints/trans_continuous_nepa.pt", "checkpoints/merl.pt",
    "checkpoints/mae_vit.pt", "formats/checkpoint.pt",
  ])
  func convertedReferenceCheckpointsExportAsTheyCame(_ file: String) throws {
    let folder = try SharedFixtures.temporaryDirectory(prefix: "roundtrip")
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try TorchCheckpoint(contentsOf: SharedFixtures.referenceDirectory.appendingPathComponent(file))
    let converted = folder.appendingPathComponent("converted")
    _ = try ReferenceCheckpointConverter.convert(original, to: converted)
    let checkpoint = try CheckpointFolder(at: converted)
    #expect(ConvertedCheckpoint.isConverted(checkpoint))
    let output = folder.appendingPathComponent("back.pt")
    try ReferenceCheckpointExport.write(checkpoint, to: output)
    let back = try TorchCheckpoint(contentsOf: output)

    #expect(Self.typed(back.root) == Self.typed(original.root))
    let originalTensors = original.root.tensorsByPath()
    let backTensors = back.root.tensorsByPath()
    #expect(backTensors.map(\.path) == originalTensors.map(\.path))
    for (mine, theirs) in zip(backTensors, originalTensors) {
      #expect(mine.tensor.contiguousBytes() == theirs.tensor.contiguousBytes(), "\(mine.path)")
    }
    // A converted folder has no loop state to resume from, and says what to do instead.
    #expect(throws: TrainingError.self) { try checkpoint.optimizerState() }
    do {
      _ = try checkpoint.optimizerState()
    } catch {
      #expect("\(error)".contains("--nn_ckpt"), "\(error)")
    }
  }
}
