import ECGCore
import Foundation
import TestSupport
import Testing
import Torch

@testable import ECGTraining

/// Exact resume: a run interrupted and resumed ends bit-identical to one that was not.
@Suite struct ResumeTests {
  @Test func resumedAdamWRunEndsBitIdenticalToAnUninterruptedOne() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        ResumeTests.checkResume(kind: .adamw)
      })
  }

  @Test func resumedMuonRunEndsBitIdenticalToAnUninterruptedOne() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        ResumeTests.checkResume(kind: .muon)
      })
  }

  /// Trains 3 epochs whole, and again interrupted after step 4 then resumed in a perturbed state.
  static func checkResume(kind: OptimizerKind) {
    do {
      var configuration = TrainingConfiguration()
      configuration.epochs = 3
      configuration.batchSize = 2
      configuration.gradientAccumulationSteps = 2
      configuration.gradientClip = 0.5
      configuration.ema = true
      configuration.seed = 7
      let batches = SineBatches(batchesPerEpoch: 5)  // 3 optimizer steps per epoch, the last one short
      let folder = try! SharedFixtures.temporaryDirectory(prefix: "resume")
      defer { try? FileManager.default.removeItem(at: folder) }

      let (whole, wholeNetwork) = try! makeTrainer(
        configuration, batches: batches, optimizer: kind, checkpoints: folder.appendingPathComponent("a"))
      precondition(try! whole.run() == .completed)

      // Interrupted in the middle of the second epoch (after step 4 of 9).
      let (first, _) = try! makeTrainer(
        configuration, batches: batches, optimizer: kind, checkpoints: folder.appendingPathComponent("b"))
      var steps = 0
      let outcome = try! first.run(shouldStop: { steps == 4 }, progress: { if case .stepFinished = $0 { steps += 1 } })
      precondition(outcome == .interrupted && first.state.step == 4)

      // A fresh process state: other weights, another generator state, then the checkpoint restores all.
      Torch.manualSeed(12345)
      _ = Tensor.randn([100])
      let (resumed, resumedNetwork) = try! makeTrainer(
        configuration, batches: batches, optimizer: kind, checkpoints: folder.appendingPathComponent("b"),
        initSeed: 99)
      _ = Tensor.randn([50])
      let checkpoint = CheckpointFolder.all(in: folder.appendingPathComponent("b")).last!.checkpoint
      precondition(checkpoint.url.lastPathComponent == "interrupt", checkpoint.url.path)
      try! resumed.restore(from: checkpoint)
      precondition(try! resumed.run() == .completed)

      precondition(
        rawBytes(wholeNetwork.stateDict()) == rawBytes(resumedNetwork.stateDict()),
        "weights differ by \(zip(wholeNetwork.stateDict(), resumedNetwork.stateDict()).map(maxDifference))"
      )
      precondition(rawBytes(whole.ema!.shadows) == rawBytes(resumed.ema!.shadows), "EMA differs")
      precondition(rawBytes(whole.optimizer.state().tensors) == rawBytes(resumed.optimizer.state().tensors))
      precondition(whole.state.epochLosses == resumed.state.epochLosses, "\(whole.state.epochLosses)")
      precondition(whole.state.step == resumed.state.step && whole.state.bestLoss == resumed.state.bestLoss)
    }
  }

  @Test func resumingWithAnotherSeedIsRefused() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        let folder = try! SharedFixtures.temporaryDirectory(prefix: "resume-seed")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = TrainingConfiguration()
        let (trainer, _) = try! makeTrainer(
          configuration, batches: SineBatches(batchesPerEpoch: 2), checkpoints: folder)
        try! trainer.run()
        configuration.seed = 1
        let (other, _) = try! makeTrainer(configuration, batches: SineBatches(batchesPerEpoch: 2))
        do {
          try other.restore(from: CheckpointFolder(at: folder.appendingPathComponent("epoch_0")))
          preconditionFailure("restoring with another seed succeeded")
        } catch let error as TrainingError {
          precondition("\(error)".contains("resume with the same seed"), "\(error)")
        } catch {
          preconditionFailure("\(error)")
        }
      })
  }
}

/// The largest absolute difference of two state-dict entries.
private func maxDifference(_ a: (name: String, tensor: Tensor), _ b: (name: String, tensor: Tensor)) -> Double {
  (a.tensor - b.tensor).abs().max().item()
}
