import ECGEvaluation
import Foundation
import Testing
import Torch

@Suite struct LinearProbeTests {
  /// Deterministic test data without libtorch's global generator (other suites draw from it concurrently).
  struct Draws {
    var state: UInt64
    mutating func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    /// Box–Muller.
    mutating func normal() -> Double {
      (-2 * Foundation.log(max(uniform(), 1e-12))).squareRoot() * Foundation.cos(2 * .pi * uniform())
    }
  }

  /// Two labels, each carried by one feature direction (±1) plus Gaussian noise; `informative: false` gives
  /// pure noise.
  func split(_ count: Int, seed: UInt64, informative: Bool = true) -> LabeledFeatures {
    var draws = Draws(state: seed)
    var features: [Float] = []
    var labels: [Float] = []
    for _ in 0..<count {
      let y = [draws.uniform() > 0.5, draws.uniform() > 0.5]
      labels += y.map { $0 ? 1 : 0 }
      for column in 0..<6 {
        let signal = informative && column < 2 ? (y[column] ? 1.0 : -1.0) : 0
        features.append(Float(signal + 0.3 * draws.normal()))
      }
    }
    return LabeledFeatures(
      features: Tensor(features, shape: [count, 6]), labels: Tensor(labels, shape: [count, 2]))
  }

  @Test func learnsAnEasyLabelWellAboveChance() {
    var configuration = LinearProbeConfiguration()
    configuration.epochs = 10
    configuration.decayEpoch = 8
    configuration.learningRate = 1e-2
    let result = trainLinearProbe(
      train: split(200, seed: 1), validation: split(60, seed: 2), test: split(60, seed: 3), seed: 0,
      configuration: configuration)
    #expect(result.validationAUROCByEpoch.count == 10)
    #expect(result.validationAUROC == result.validationAUROCByEpoch.max())
    #expect(result.bestEpoch == result.validationAUROCByEpoch.firstIndex(of: result.validationAUROC))
    #expect(result.test.aurocMacro > 0.95, "test AUROC \(result.test.aurocMacro)")
    #expect(result.maxTestAUROCOverEpochs >= result.test.aurocMacro)
  }

  @Test func noiseFeaturesStayNearChance() {
    var configuration = LinearProbeConfiguration()
    configuration.epochs = 3
    let result = trainLinearProbe(
      train: split(200, seed: 4, informative: false), validation: split(100, seed: 5, informative: false),
      test: split(100, seed: 6, informative: false), seed: 1, configuration: configuration)
    #expect(Swift.abs(result.test.aurocMacro - 0.5) < 0.2, "test AUROC \(result.test.aurocMacro)")
  }
}
