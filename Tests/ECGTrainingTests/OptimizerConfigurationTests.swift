import ECGTraining
import Foundation
import Testing

@Suite struct OptimizerConfigurationTests {
  private func decode(_ json: String) throws -> OptimizerConfiguration {
    try JSONDecoder().decode(OptimizerConfiguration.self, from: Data(json.utf8))
  }

  @Test func readsTheReferenceFlagNames() throws {
    let c = try decode(
      """
      {"optimizer": "muon", "lr": 0.003, "weight_decay": 0.05, "beta1": 0.8, "beta2": 0.9, "eps": 1e-7,
       "muon_momentum": 0.9, "muon_nesterov": true, "muon_ns_steps": 4, "muon_adamw_lr_ratio": 0.1,
       "lr_schedule": "cosine", "min_lr_ratio": 0.2, "warmup": 3, "ref_global_bs": 8, "grad_accum_steps": 2,
       "batch_size": 4, "distributed": false, "scale_wd": "inv_sqrt", "max_steps": 10}
      """)
    #expect(c.kind == .muon && c.learningRate == 0.003 && c.weightDecay == 0.05)
    #expect(c.beta1 == 0.8 && c.beta2 == 0.9 && c.eps == 1e-7)
    #expect(c.muonMomentum == 0.9 && c.muonNewtonSchulzSteps == 4 && c.muonAdamWLearningRateRatio == 0.1)
    #expect(c.schedule == .cosine && c.minLearningRateRatio == 0.2 && c.warmupSteps == 3 && c.maxSteps == 10)
    #expect(c.referenceGlobalBatchSize == 8 && c.gradientAccumulationSteps == 2 && c.batchSize == 4)
    #expect(c.weightDecayScaling == .inverseSqrt && c.worldSize == 1)
  }

  @Test func missingKeysAndNullKeepTheReferenceDefaults() throws {
    let c = try decode(#"{"lr": 0.001, "ref_global_bs": null}"#)
    var expected = OptimizerConfiguration()
    expected.learningRate = 0.001
    #expect(c == expected)
    #expect(c.kind == .adamw && c.warmupSteps == 2000 && c.referenceGlobalBatchSize == 0)
  }

  @Test func roundTripsThroughJSONWithTheFlagNames() throws {
    var c = OptimizerConfiguration()
    c.kind = .adam
    c.schedule = .inverseSqrt
    c.weightDecayScaling = .inverseLinear
    c.worldSize = 8
    let data = try JSONEncoder().encode(c)
    let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
    #expect(Set(keys).isSuperset(of: ["optimizer", "lr", "lr_schedule", "scale_wd", "ref_global_bs", "warmup"]))
    #expect(try JSONDecoder().decode(OptimizerConfiguration.self, from: data) == c)
  }

  @Test func unknownValuesAndImpossibleSettingsAreUserErrors() throws {
    #expect(throws: DecodingError.self) { try decode(#"{"optimizer": "sgd"}"#) }
    #expect(throws: DecodingError.self) { try decode(#"{"lr_schedule": "linear"}"#) }
    var c = OptimizerConfiguration()
    try c.validate()
    c.batchSize = 0
    #expect(throws: ConfigurationError.self) { try c.validate() }
    c.batchSize = 1
    c.beta2 = 1
    do {
      try c.validate()
      Issue.record("beta2 = 1 was accepted")
    } catch let error as ConfigurationError {
      #expect(error.flag == "--beta2")
    }
  }

  @Test func theScheduleReadsTheSameFlagsAsTheConfiguration() throws {
    let json = #"{"lr_schedule": "cosine", "warmup": 3, "max_steps": 10, "min_lr_ratio": 0.2}"#
    let schedule = try JSONDecoder().decode(LearningRateSchedule.self, from: Data(json.utf8))
    #expect(schedule == LearningRateSchedule(decay: .cosine, warmupSteps: 3, maxSteps: 10, minRatio: 0.2))
    #expect(try decode(json).learningRateSchedule == schedule)
  }
}
