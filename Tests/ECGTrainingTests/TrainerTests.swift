import ECGCore
import Foundation
import Testing
import Torch

@testable import ECGTraining

/// The loop on a tiny network. libtorch's generator is process-global, so every run that draws sits in an exit
/// test (a child process of its own) and checks its expectations with preconditions.
@Suite struct TrainerTests {
  @Test func aFewStepsGiveFiniteLossesAndMetrics() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        var configuration = TrainingConfiguration()
        configuration.epochs = 2
        configuration.batchSize = 2
        configuration.logEvery = 1
        let (trainer, _) = try! makeTrainer(configuration, batches: SineBatches(batchesPerEpoch: 3))
        var metrics: [StepMetrics] = []
        var finished: [Double] = []
        let outcome = try! trainer.run(progress: { event in
          if case .metrics(let record) = event { metrics.append(record) }
          if case .epochFinished(_, let loss, _) = event { finished.append(loss) }
        })
        precondition(outcome == .completed, "\(outcome)")
        precondition(metrics.map(\.step) == Array(1...6), "\(metrics.map(\.step))")
        precondition(metrics.allSatisfy { $0.loss.isFinite && $0.gradientNorm > 0 && $0.learningRate > 0 })
        precondition(finished.count == 2 && finished.allSatisfy(\.isFinite))
        precondition(trainer.state.step == 6 && trainer.state.epoch == 2)
      })
  }

  @Test func anEpochThatRunsOutOfBatchesNamesTheSkippedWindows() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        var configuration = TrainingConfiguration()
        configuration.batchSize = 2
        var batches = SineBatches(batchesPerEpoch: 3)
        batches.producedPerEpoch = 1
        let (trainer, _) = try! makeTrainer(configuration, batches: batches)
        do {
          try trainer.run()
          preconditionFailure("an epoch with one of its three batches ran")
        } catch let error as TrainingError {
          precondition(error == .noLoadableWindow(epoch: 0), "\(error)")
          precondition("\(error)".contains("skipped window"), "\(error)")
        } catch {
          preconditionFailure("\(error)")
        }
        precondition(trainer.state.step == 1, "\(trainer.state.step)")
      })
  }

  @Test func overfittingOneBatchDrivesTheLossDown() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        var configuration = TrainingConfiguration()
        configuration.epochs = 60
        configuration.batchSize = 2
        configuration.patience = 100
        var batches = SineBatches(batchesPerEpoch: 1)
        batches.repeatOneBatch = true
        let (trainer, _) = try! makeTrainer(configuration, batches: batches, learningRate: 1e-2)
        try! trainer.run()
        let losses = trainer.state.epochLosses
        precondition(losses.count == 60)
        precondition(losses.suffix(5).max()! < 0.5 * losses.prefix(5).min()!, "losses \(losses)")
      })
  }

  @Test func gradientAccumulationStepsOncePerWindowWithAShortLastWindow() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        var configuration = TrainingConfiguration()
        configuration.gradientAccumulationSteps = 2
        configuration.logEvery = 1
        let (trainer, _) = try! makeTrainer(configuration, batches: SineBatches(batchesPerEpoch: 5))
        var steps: [Int] = []
        try! trainer.run(progress: {
          if case .stepFinished(let step, _, let batch) = $0 { steps.append(step * 100 + batch) }
        })
        // Windows of 2, 2 and 1 micro-batches: steps 1, 2, 3 after batches 2, 4, 5.
        precondition(steps == [102, 204, 305], "\(steps)")
        precondition(trainer.optimizer.stepCount == 3)
      })
  }

  @Test func maxStepsStopsTheRunAndDevStopsAfterOneStep() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        var configuration = TrainingConfiguration()
        configuration.epochs = 3
        configuration.maxSteps = 4
        let (trainer, _) = try! makeTrainer(configuration, batches: SineBatches(batchesPerEpoch: 3))
        precondition(try! trainer.run() == .reachedMaxSteps && trainer.state.step == 4)

        configuration.maxSteps = nil
        configuration.dev = true
        let (dev, _) = try! makeTrainer(configuration, batches: SineBatches(batchesPerEpoch: 3))
        var shapes: [String: [Int]] = [:]
        precondition(try! dev.run(progress: { if case .devBatch(let s, _) = $0 { shapes = s } }) == .devBatch)
        precondition(shapes == ["signal": [2, 3, 8]] || shapes == ["signal": [1, 3, 8]], "\(shapes)")
      })
  }

  @Test func bfloat16RunsUnderAutocastWithFloat32Weights() async {
    reportFailure(
      await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
        var configuration = TrainingConfiguration()
        configuration.bfloat16 = true
        configuration.logEvery = 1
        let (trainer, network) = try! makeTrainer(configuration, batches: SineBatches(batchesPerEpoch: 3))
        let probe = withAutocast(device: .cpu) { network.inputProj(Tensor.ones([2, 8])) }
        precondition(probe.dtype == .bfloat16, "autocast left the linear layer in \(probe.dtype)")
        precondition(!isAutocastEnabled(device: .cpu))
        var losses: [Double] = []
        try! trainer.run(progress: { if case .metrics(let m) = $0 { losses.append(m.loss) } })
        precondition(losses.count == 3 && losses.allSatisfy(\.isFinite), "\(losses)")
        precondition(network.namedParameters().allSatisfy { $0.tensor.dtype == .float32 })
        precondition(trainer.optimizer.state().tensors.allSatisfy { $0.tensor.dtype == .float32 })
      })
  }

  @Test func earlyStoppingEndsTheRunAfterTheEpochThatDecides() async {
    await #expect(processExitsWith: .success) {
      var configuration = TrainingConfiguration()
      configuration.epochs = 10
      configuration.patience = 1
      configuration.patienceDelta = 100  // no epoch can improve by that much
      let (trainer, _) = try! makeTrainer(configuration, batches: SineBatches(batchesPerEpoch: 2))
      var stoppedAt: Int?
      let outcome = try! trainer.run(progress: { if case .earlyStopped(let epoch) = $0 { stoppedAt = epoch } })
      precondition(outcome == .earlyStopped(epoch: 1) && stoppedAt == 1, "\(outcome)")
      precondition(trainer.state.epochLosses.count == 2)
    }
  }

  @Test func earlyStoppingFollowsTheReference() {
    let stopping = EarlyStopping(patience: 2, delta: 0.1)
    #expect(!stopping.shouldStop(losses: [1.0, 0.95]))
    // Best before the last two is 1.0; the last two (0.95, 0.93) are not 0.1 better.
    #expect(stopping.shouldStop(losses: [1.0, 0.95, 0.93]))
    #expect(!stopping.shouldStop(losses: [1.0, 0.95, 0.85]))
    #expect(stopping.shouldStop(losses: [1.0, 0.5, 0.45, 0.44]))
  }

  @Test func badSettingsAreRejectedWithWhatToChange() {
    var configuration = TrainingConfiguration()
    configuration.gradientAccumulationSteps = 0
    #expect(throws: TrainingError.invalidConfiguration("--grad_accum_steps must be at least 1, got 0")) {
      try configuration.validate()
    }
    configuration = TrainingConfiguration()
    configuration.emaDecay = 1.5
    #expect(throws: TrainingError.invalidConfiguration("--ema_decay must lie in [0, 1], got 1.5")) {
      try configuration.validate()
    }
  }
}
