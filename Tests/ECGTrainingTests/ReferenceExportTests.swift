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
}
