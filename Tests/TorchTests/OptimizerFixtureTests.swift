import Foundation
import Testing
import Torch
import TorchTestSupport

/// Every case under `$ECG_REFERENCE_DIR/optim`: replay the recorded gradients through the reference
/// optimizer wrapper and compare the learning rates, parameters and EMA shadows after every step.
@Suite struct OptimizerFixtureTests {
  @Test func fixtureFolderHasCases() {
    #expect(!fixtureNames("optim").isEmpty, "no optimizer fixtures in \(FixtureCase.referenceDirectory.path)/optim")
  }

  @Test(arguments: fixtureNames("optim"))
  func referenceCase(_ name: String) throws {
    let fixture = try FixtureCase.load("optim", name)
    let configuration = try OptimizerConfiguration(referenceArguments: fixture.json["args"] as? [String: Any] ?? [:])
    let order = fixture.json["parameter_order"] as? [String] ?? []
    let start = fixture.group("param")
    let parameters = try order.map { name -> (name: String, tensor: Tensor) in
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
        if let want = expected[name] { expectFixtureClose(tensor, want, fixture, "expected/\(step)/\(name)") }
        if let want = shadows[name] { expectFixtureClose(ema.shadows[name]!, want, fixture, "ema/\(step)/\(name)") }
      }
    }
  }
}

extension OptimizerConfiguration {
  /// Settings from the reference's argument names (as in the fixtures' `args`).
  init(referenceArguments args: [String: Any]) throws {
    self.init()
    func value<T>(_ key: String, _ type: T.Type) throws -> T {
      guard let v = args[key] as? T else { throw FixtureError(message: "args lacks \(key) of type \(T.self)") }
      return v
    }
    guard let kind = OptimizerKind(rawValue: try value("optimizer", String.self)) else {
      throw FixtureError(message: "unknown optimizer")
    }
    self.kind = kind
    learningRate = try value("lr", Double.self)
    weightDecay = try value("weight_decay", Double.self)
    beta1 = try value("beta1", Double.self)
    beta2 = try value("beta2", Double.self)
    eps = try value("eps", Double.self)
    muonMomentum = try value("muon_momentum", Double.self)
    muonNewtonSchulzSteps = try value("muon_ns_steps", Int.self)
    muonAdamWLearningRateRatio = try value("muon_adamw_lr_ratio", Double.self)
    guard let decay = LearningRateSchedule.Decay(rawValue: try value("lr_schedule", String.self)) else {
      throw FixtureError(message: "unknown schedule")
    }
    schedule = decay
    minLearningRateRatio = try value("min_lr_ratio", Double.self)
    warmupSteps = try value("warmup", Int.self)
    referenceGlobalBatchSize = args["ref_global_bs"] as? Int ?? 0
    gradientAccumulationSteps = try value("grad_accum_steps", Int.self)
    batchSize = try value("batch_size", Int.self)
    guard let scaling = WeightDecayScaling(rawValue: try value("scale_wd", String.self)) else {
      throw FixtureError(message: "unknown scale_wd")
    }
    weightDecayScaling = scaling
    maxSteps = try value("max_steps", Int.self)
  }
}
