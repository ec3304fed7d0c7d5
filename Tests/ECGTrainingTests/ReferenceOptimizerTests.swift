import ECGTraining
import Foundation
import Testing
import Torch
import TorchTestSupport

@Suite struct ReferenceOptimizerTests {
  private func makeParameters() -> [NamedTensor] {
    [
      ("layers.0.weight", sample([4, 4], seed: 7).to(.float32).requiringGrad()),
      ("layers.0.bias", sample([4], seed: 8).to(.float32).requiringGrad()),
    ]
  }

  private func configuration(_ kind: OptimizerKind) -> OptimizerConfiguration {
    var c = OptimizerConfiguration()
    c.kind = kind
    c.learningRate = 1e-2
    c.warmupSteps = 2
    c.schedule = .cosine
    c.maxSteps = 10
    return c
  }

  private func train(_ optimizer: ReferenceOptimizer, _ parameters: [NamedTensor], steps: Range<Int>) {
    for step in steps {
      for (_, p) in parameters { p.grad = nil }
      let w = parameters[0].tensor
      let loss = (w.matmul(sample([4], seed: UInt64(step)).to(.float32)) + parameters[1].tensor).square().sum()
      loss.backward()
      optimizer.step()
    }
  }

  @Test(arguments: OptimizerKind.allCases)
  func savedStateResumesBitForBit(kind: OptimizerKind) throws {
    let uninterrupted = makeParameters()
    let optimizerA = ReferenceOptimizer(configuration(kind), parameters: uninterrupted)
    train(optimizerA, uninterrupted, steps: 0..<5)

    let resumed = makeParameters()
    let optimizerB = ReferenceOptimizer(configuration(kind), parameters: resumed)
    train(optimizerB, resumed, steps: 0..<3)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("optim-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try optimizerB.state().save(to: folder.appendingPathComponent("optimizer"))
    let weights = StateDict(resumed)
    try weights.save(safetensorsTo: folder.appendingPathComponent("model.safetensors"))

    let restoredParameters = makeParameters()
    let saved = try StateDict(safetensorsAt: folder.appendingPathComponent("model.safetensors"))
    withNoGrad { for (name, p) in restoredParameters { p.copy(from: saved[name]!) } }
    let optimizerC = ReferenceOptimizer(configuration(kind), parameters: restoredParameters)
    try optimizerC.restore(OptimizerState(contentsOf: folder.appendingPathComponent("optimizer")))
    #expect(optimizerC.stepCount == 3)
    train(optimizerC, restoredParameters, steps: 3..<5)
    for ((name, a), (_, c)) in zip(uninterrupted, restoredParameters) {
      #expect(a.toArray(of: Float.self) == c.toArray(of: Float.self), "\(kind) \(name) diverged after resuming")
    }
  }

  @Test func restoringAStateOfOtherShapesFails() {
    let optimizer = ReferenceOptimizer(configuration(.adamw), parameters: makeParameters())
    train(optimizer, makeParameters(), steps: 0..<1)
    var state = OptimizerState(scalars: ["wrapper_step": 1, "adamw/step": 1])
    state.tensors["adamw/exp_avg/layers.0.weight"] = Tensor.zeros([3, 3])
    #expect(throws: OptimizerStateMismatch.self) { try optimizer.restore(state) }
  }

  @Test func schedulesFollowTheReference() {
    let cosine = LearningRateSchedule(decay: .cosine, warmupSteps: 3, maxSteps: 10, minRatio: 0.1)
    expectClose(
      (0..<8).map(cosine.multiplier(atStep:)),
      [1 / 3, 2 / 3, 1, 1, 0.9554359905560885, 0.8305704108364302, 0.6501344202803414, 0.44986557971965857], atol: 1e-12
    )
    #expect(cosine.multiplier(atStep: 50) == 0.1)
    let inverse = LearningRateSchedule(decay: .inverseSqrt, warmupSteps: 2, maxSteps: 10)
    expectClose(
      [inverse.multiplier(atStep: 1), inverse.multiplier(atStep: 2), inverse.multiplier(atStep: 5)], [1, 1, 0.5])
    #expect(LearningRateSchedule(decay: .constant, warmupSteps: 0, maxSteps: 1).multiplier(atStep: 7) == 1)
  }

  @Test func learningRateAndWeightDecayScaleWithTheGlobalBatch() {
    var c = OptimizerConfiguration()
    c.learningRate = 1e-3
    c.weightDecay = 0.1
    c.batchSize = 8
    c.worldSize = 4
    #expect(c.learningRateScale == 4)
    c.referenceGlobalBatchSize = 64
    #expect(c.learningRateScale == 0.5)
    #expect(c.peakLearningRate == 5e-4)
    c.weightDecayScaling = .inverseSqrt
    #expect(Swift.abs(c.scaledWeightDecay - 0.1 / 0.5.squareRoot()) < 1e-15)
    c.weightDecayScaling = .inverseLinear
    #expect(c.scaledWeightDecay == 0.2)
  }

  @Test func muonSplitUsesTheReferenceNameRule() {
    let matrix = Tensor.zeros([4, 4])
    #expect(ReferenceOptimizer.isMuonParameter(name: "layers.0.self_attn.in_proj_weight", tensor: matrix))
    #expect(ReferenceOptimizer.isMuonParameter(name: "pos_enc.weight", tensor: matrix))
    for name in [
      "token_emb.weight", "lm_head.weight", "blocks.0.adaLN_modulation.1.weight", "norm.weight", "output_proj.weight",
    ] {
      #expect(!ReferenceOptimizer.isMuonParameter(name: name, tensor: matrix), "\(name)")
    }
    #expect(!ReferenceOptimizer.isMuonParameter(name: "layers.0.bias", tensor: Tensor.zeros([4])))
  }

  @Test func accumulationStepsEveryNMicroBatches() {
    var accumulation = GradientAccumulation(steps: 3)
    #expect(accumulation.lossScale == 1.0 / 3)
    #expect((0..<7).map { _ in accumulation.recordMicroBatch() } == [false, false, true, false, false, true, false])
  }

}
