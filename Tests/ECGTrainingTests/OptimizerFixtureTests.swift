import ECGTraining
import Foundation
import Testing
import Torch
import TorchTestSupport

/// Every case under `$ECG_REFERENCE_DIR/optim`: replay the recorded gradients through the reference
/// optimizer wrapper and compare the learning rates, parameters and EMA shadows after every step, with each
/// Adam implementation (single-tensor, foreach, fused) within the case's tolerance.
@Suite struct OptimizerFixtureTests {
  @Test func fixtureFolderHasCases() {
    #expect(!fixtureNames("optim").isEmpty, "no optimizer fixtures in \(FixtureCase.referenceDirectory.path)/optim")
  }

  @Test(arguments: fixtureNames("optim"), Adam.Implementation.allCases)
  func referenceCase(_ name: String, implementation: Adam.Implementation) throws {
    let fixture = try FixtureCase.load("optim", name)
    // The fixture's `args` are the reference's flags, which are the configuration's coding keys.
    let arguments = try JSONSerialization.data(withJSONObject: fixture.json["args"] as? [String: Any] ?? [:])
    var configuration = try JSONDecoder().decode(OptimizerConfiguration.self, from: arguments)
    configuration.adamImplementation = implementation
    try configuration.validate()
    let order = fixture.json["parameter_order"] as? [String] ?? []
    let start = fixture.group("param")
    let parameters = try order.map { name -> NamedTensor in
      guard let value = start[name] else { throw FixtureError(message: "\(fixture.name): no param/\(name)") }
      return (name, value.clone().requiringGrad())
    }
    let optimizer = ReferenceOptimizer(configuration, parameters: parameters)
    let ema = EMA(parameters, decay: fixture.json["ema_decay"] as? Double ?? 0.999)
    let rates = fixture.json["lr_used_at_step"] as? [Double] ?? []
    let steps = fixture.json["steps"] as? Int ?? rates.count
    #expect(Swift.abs(configuration.peakLearningRate - (fixture.json["peak_lr"] as? Double ?? 0)) < 1e-12)
    for step in 0..<steps {
      #expect(
        Swift.abs(optimizer.currentLearningRate - rates[step]) <= 1e-12 + 1e-9 * rates[step],
        "\(name) lr at step \(step)")
      let gradients = fixture.group("grad/\(step)")
      for (name, tensor) in parameters { tensor.grad = gradients[name] }
      optimizer.step()
      ema.update()
      let expected = fixture.group("expected/\(step)")
      let shadows = fixture.group("ema/\(step)")
      for (name, tensor) in parameters {
        if let want = expected[name] {
          expectFixtureClose(tensor, want, fixture, "\(implementation): expected/\(step)/\(name)")
        }
        if let want = shadows[name] { expectFixtureClose(ema.shadows[name]!, want, fixture, "ema/\(step)/\(name)") }
      }
    }
  }
}
