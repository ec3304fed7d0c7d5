import ECGCore
import ECGModels
import Foundation
import Testing
import Torch
import TorchTestSupport

/// Data-driven parity of MAE-ViT, MTAE, MLAE and ST-MEM with every case under
/// `$ECG_REFERENCE_DIR/models/{mae_vit,mtae,mlae,st_mem}/` (README-mae.md): `init` from the seed (child process,
/// libtorch's generator is process-wide), `forward` in train mode (loss, outputs, intermediates, every gradient)
/// and eval mode with the recorded draws replayed, and again seeded (child process), `get_features`.
/// A method the test does not know fails.
@Suite struct MaskedAutoencoderParityTests {
  static let folders = ["mae_vit", "mtae", "mlae", "st_mem"]

  static func cases() -> [String] {
    folders.flatMap { folder in
      fixtureNames("models/\(folder)").filter { !$0.hasPrefix("state_dict") }.map { "\(folder)/\($0)" }
    }
  }

  @Test func everyFolderHasCases() {
    for folder in Self.folders {
      #expect(fixtureNames("models/\(folder)").contains { !$0.hasPrefix("state_dict") }, "no cases in \(folder)")
    }
  }

  @Test(arguments: cases())
  func fixtureCase(_ id: String) throws {
    let fixture = try loadCase(id)
    switch fixture.json["method"] as? String {
    case "init": return  // checked by `initFromSeed` in a child process
    case "forward": try checkForward(fixture, draws: RandomDraws(replaying: recordedDraws(fixture)))
    case "get_features": try checkFeatures(fixture)
    case let method: Issue.record("\(id): unknown method \(method ?? "nil")")
    }
  }

  /// Init cases: seed, construct, and the state_dict equals `init/*` exactly, in `state_dict_order`.
  @Test(arguments: cases().filter { $0.hasSuffix("/init") })
  func initFromSeed(_ id: String) async {
    await #expect(processExitsWith: .success, "\(id): the seeded construction differs from the reference") {
      [id = id as String] in
      let fixture = try loadCase(id)
      Torch.manualSeed(UInt64(fixture.json["seed"] as? Int ?? 0))
      let model = try MAEFamilyModel(fixture)
      let state = model.module.stateDict()
      let order = fixture.json["state_dict_order"] as? [String] ?? []
      precondition(state.names == order, "\(id): order \(state.names) vs \(order)")
      let expected = fixture.group("init")
      for (name, tensor) in state {
        guard let want = expected[name] else { preconditionFailure("\(id): no init/\(name)") }
        precondition(tensor.shape == want.shape && tensor.doubles() == want.doubles(), "\(id): \(name) differs")
      }
    }
  }

  /// Forward cases again, drawing from the seed instead of replaying (child process).
  @Test(arguments: cases().filter { $0.contains("/forward") })
  func forwardFromSeed(_ id: String) async {
    await #expect(processExitsWith: .success, "\(id): the seeded forward differs from the reference") {
      [id = id as String] in
      try checkForward(try loadCase(id), draws: RandomDraws(), seeded: true)
    }
  }
}

func loadCase(_ id: String) throws -> FixtureCase {
  let parts = id.split(separator: "/")
  return try FixtureCase.load("models/\(parts[0])", String(parts[1]))
}

/// `draw/0`, `draw/1`, … in order.
func recordedDraws(_ fixture: FixtureCase) -> [Tensor] {
  let draws = fixture.group("draw")
  return (0..<draws.count).compactMap { draws[String($0)] }
}

/// A fixture's network built from its `config` (JSON decoded into the network's configuration).
enum MAEFamilyModel {
  case maeViT(MAEViT)
  case mtae(MTAE)
  case mlae(MLAE)
  case stMEM(STMEM)

  init(_ fixture: FixtureCase) throws {
    let data = try JSONSerialization.data(withJSONObject: fixture.config)
    let decoder = JSONDecoder()
    switch fixture.json["network"] as? String {
    case "mae_vit": self = .maeViT(MAEViT(config: try decoder.decode(MAEViTConfig.self, from: data)))
    case "mtae": self = .mtae(MTAE(config: try decoder.decode(MTAEConfig.self, from: data)))
    case "mlae": self = .mlae(MLAE(config: try decoder.decode(MLAEConfig.self, from: data)))
    case "st_mem": self = .stMEM(STMEM(config: try decoder.decode(STMEMConfig.self, from: data)))
    case let network: throw FixtureError(message: "\(fixture.name): unknown network \(network ?? "nil")")
    }
  }

  var module: Module {
    switch self {
    case .maeViT(let m): m
    case .mtae(let m): m
    case .mlae(let m): m
    case .stMEM(let m): m
    }
  }
}

/// Records an issue, or (in a child process, `strict` false) stops the process, when a check fails.
private func check(_ condition: Bool, _ message: @autoclosure () -> String, strict: Bool) {
  if strict {
    #expect(condition, "\(message())")
  } else {
    precondition(condition, message())
  }
}

/// Loads `param/*` strictly, runs the forward in the case's mode and compares outputs, intermediates and gradients.
/// `seeded`: seed libtorch's generator with the case's seed right before the call (only in a child process, where
/// failures stop the process instead of recording issues).
func checkForward(_ fixture: FixtureCase, draws: RandomDraws, seeded: Bool = false) throws {
  let strictIssues = !seeded
  let model = try MAEFamilyModel(fixture)
  try model.module.load(stateDict: fixture.group("param"), strict: true)
  let training = fixture.json["mode"] as? String == "train"
  model.module.train(training)
  if seeded { Torch.manualSeed(UInt64(fixture.json["seed"] as? Int ?? 0)) }
  let inputs = fixture.group("input")
  var got: [String: Tensor] = [:]
  var loss: Tensor?
  try withGradEnabled(training) {
    switch model {
    case .maeViT(let m):
      guard let patches = inputs["patches"], let visible = inputs["visible_mask"] else {
        throw FixtureError(message: "\(fixture.name): missing inputs")
      }
      let onMasked = (inputs["loss_on_masked_only"]?.itemInt() ?? 1) != 0
      let out = m(
        PatchBatch(patches: patches, visibleMask: visible, targets: inputs["targets"], lossOnMaskedOnly: onMasked))
      got = ["loss": out.loss, "recon": out.pred, "pred": out.pred, "mask": out.mask, "enc": out.enc]
      loss = out.loss
    case .mtae, .mlae, .stMEM:
      guard let signal = inputs["signal"] else { throw FixtureError(message: "\(fixture.name): no input/signal") }
      let ratio = inputs["mask_ratio"]?.item() ?? 0.75
      let batch = SignalBatch(signal: signal)
      let out: MaskedAutoencoderOutput
      switch model {
      case .mtae(let m): out = m(batch, maskRatio: ratio, draws: draws)
      case .mlae(let m): out = m(batch, maskRatio: ratio, draws: draws)
      case .stMEM(let m): out = m(batch, maskRatio: ratio, draws: draws)
      case .maeViT: preconditionFailure()
      }
      got = [
        "loss": out.loss, "out": out.out, "latent": out.latent, "mask": out.mask, "ids_restore": out.idsRestore,
        "pred": out.pred,
      ]
      loss = out.loss
    }
  }
  compare(got, fixture, strict: strictIssues)
  check(draws.isExhausted, "\(fixture.name): \(draws.consumed) draws used", strict: strictIssues)
  if training, let loss { checkGradients(model.module, loss: loss, fixture, strict: strictIssues) }
}

/// Every `output/*` and `intermediate/*` of the case against `got`; a missing one is a failure.
func compare(_ got: [String: Tensor], _ fixture: FixtureCase, strict: Bool) {
  for prefix in ["output", "intermediate"] {
    for (name, want) in fixture.group(prefix) {
      guard let tensor = got[name] else {
        check(false, "\(fixture.name): the model gives no \(prefix)/\(name)", strict: strict)
        continue
      }
      if strict {
        expectFixtureClose(tensor, want, fixture, "\(prefix)/\(name)")
      } else {
        check(closeEnough(tensor, want, fixture.tolerance), "\(fixture.name): \(prefix)/\(name) differs", strict: false)
      }
    }
  }
}

func closeEnough(_ got: Tensor, _ want: Tensor, _ tolerance: (abs: Double, rel: Double)) -> Bool {
  guard got.shape == want.shape else { return false }
  return zip(got.doubles(), want.doubles()).allSatisfy {
    Swift.abs($0 - $1) <= tolerance.abs + tolerance.rel * Swift.abs($1)
  }
}

/// `loss.backward()`; every trainable parameter (in `named_parameters()` order) is listed in `grad_param` and its
/// gradient matches `grad_param/<name>` within `tolerance_grad`.
func checkGradients(_ module: Module, loss: Tensor, _ fixture: FixtureCase, strict: Bool) {
  loss.backward()
  let names = fixture.json["grad_param"] as? [String] ?? []
  let trainable = module.trainableParameters()
  check(trainable.map(\.name) == names, "\(fixture.name): trainable parameters differ from grad_param", strict: strict)
  let t = fixture.json["tolerance_grad"] as? [String: Double] ?? [:]
  let tolerance = (t["abs"] ?? 1e-4, t["rel"] ?? 1e-3)
  let expected = fixture.group("grad_param")
  for (name, tensor) in trainable {
    guard let want = expected[name] else {
      check(false, "\(fixture.name): no grad_param/\(name)", strict: strict)
      continue
    }
    let grad = tensor.grad ?? Tensor.zeros(like: tensor)
    if strict {
      expectFixtureClose(grad, want, fixture, "grad_param/\(name)", tolerance: tolerance)
    } else {
      check(closeEnough(grad, want, tolerance), "\(fixture.name): grad_param/\(name) differs", strict: false)
    }
  }
}

/// `get_features` in eval mode under no grad.
func checkFeatures(_ fixture: FixtureCase) throws {
  let model = try MAEFamilyModel(fixture)
  try model.module.load(stateDict: fixture.group("param"), strict: true)
  model.module.eval()
  let inputs = fixture.group("input")
  let features: Tensor = try withNoGrad {
    switch model {
    case .maeViT(let m):
      guard let patches = inputs["patches"], let visible = inputs["visible_mask"] else {
        throw FixtureError(message: "\(fixture.name): missing inputs")
      }
      return m.features(PatchBatch(patches: patches, visibleMask: visible))
    case .mtae(let m): return m.features(SignalBatch(signal: try series(inputs, fixture)))
    case .mlae(let m): return m.features(SignalBatch(signal: try series(inputs, fixture)))
    case .stMEM(let m): return m.features(SignalBatch(signal: try series(inputs, fixture)))
    }
  }
  compare(["features": features], fixture, strict: true)
}

private func series(_ inputs: StateDict, _ fixture: FixtureCase) throws -> Tensor {
  guard let series = inputs["series"] ?? inputs["signal"] else {
    throw FixtureError(message: "\(fixture.name): no input/series")
  }
  return series
}
