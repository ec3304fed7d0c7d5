import ECGCore
import ECGModels
import Foundation
import Testing
import Torch
import TorchTestSupport

/// Data-driven parity of MERL with every case under `$ECG_REFERENCE_DIR/models/merl/` (README-mae.md): `init`
/// from the seed (child process), `get_features`, and the default state_dict listing (ECG side; the listed `lm.*`
/// entries are those of a stand-in BERT).
@Suite struct MerlParityTests {
  static func cases() -> [String] {
    fixtureNames("models/merl").filter { !$0.hasPrefix("state_dict") }
  }

  @Test func folderHasCases() { #expect(!Self.cases().isEmpty) }

  @Test(arguments: cases())
  func fixtureCase(_ name: String) throws {
    let fixture = try FixtureCase.load("models/merl", name)
    switch fixture.json["method"] as? String {
    case "init": return  // `initFromSeed`, in a child process
    case "get_features":
      let model = try merlECGSide(fixture)
      let report = try model.load(stateDict: fixture.group("param"), strict: false)
      #expect(report.missing.isEmpty && report.shapeMismatches.isEmpty, "\(report)")
      #expect(report.unexpected.allSatisfy { $0.hasPrefix("lm.") }, "\(report)")
      model.eval()
      guard let signal = fixture.group("input")["signal"] else { throw FixtureError(message: "no input/signal") }
      let features = withNoGrad { model.resnetFeatures(SignalBatch(signal: signal)) }
      compare(["features": features], fixture, strict: true)
      let pooled = withNoGrad { model.features(SignalBatch(signal: signal)) }
      #expect(pooled.shape == [signal.size(0), features.size(1)])
    case "forward": try checkMerlForward(fixture)
    case let method: Issue.record("\(name): unknown method \(method ?? "nil")")
    }
  }

  /// Init: seed, construct, the ECG side's state_dict equals `init/*` exactly and in `state_dict_order` (the text
  /// model draws nothing and is loaded afterwards, so it is left out on both sides).
  @Test(arguments: cases().filter { $0 == "init" || $0.hasPrefix("init.") })
  func initFromSeed(_ name: String) async {
    await #expect(processExitsWith: .success, "\(name): the seeded construction differs from the reference") {
      [name = name as String] in
      let fixture = try FixtureCase.load("models/merl", name)
      Torch.manualSeed(UInt64(fixture.json["seed"] as? Int ?? 0))
      let state = try merlECGSide(fixture).stateDict()
      let order = (fixture.json["state_dict_order"] as? [String] ?? []).filter { !$0.hasPrefix("lm.") }
      precondition(state.names == order, "\(name): order differs")
      let expected = fixture.group("init")
      for (key, tensor) in state {
        guard let want = expected[key] else { preconditionFailure("no init/\(key)") }
        precondition(tensor.shape == want.shape && tensor.doubles() == want.doubles(), "\(key) differs")
      }
    }
  }

  @Test func defaultStateDictMatchesTheECGSide() throws {
    let url = FixtureCase.referenceDirectory.appendingPathComponent("models/merl/state_dict.default.json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    let flags = json["builder_flags"] as? [String: Any] ?? [:]
    let config = MerlConfig(segmentLength: flags["--segment_len"] as? Int ?? 2500)
    let data = try JSONSerialization.data(withJSONObject: json["config"] ?? [:])
    #expect(config == (try JSONDecoder().decode(MerlConfig.self, from: data)))
    expectStateDictListing(try Merl(config: config, textModel: nil), json, "merl", skipping: ["lm."])
  }

  @Test func configurationErrorsAreThrown() {
    var config = MerlConfig(segmentLength: 1000)
    config.spacialDim = 157
    #expect(throws: ModelConfigError.self) { try Merl(config: config, textModel: nil) }
    config = MerlConfig()
    config.resnetType = "resnet152"
    #expect(throws: ModelConfigError.self) { try config.validate() }
    config = MerlConfig()
    config.resnetType = "resnet18"
    #expect(throws: ModelConfigError.self) { try config.validate() }  // in_channels 2048 vs 512
    config.inChannels = 512
    #expect(throws: Never.self) { try config.validate() }
  }
}

/// MERL's ECG side from a fixture's config (no text model; `proj_t.0` takes `text_hidden_size`).
func merlECGSide(_ fixture: FixtureCase) throws -> Merl {
  let data = try JSONSerialization.data(withJSONObject: fixture.config)
  return try Merl(config: try JSONDecoder().decode(MerlConfig.self, from: data), textModel: nil)
}

/// Forward cases: load `param/*`, run in the case's mode, compare outputs, intermediates and the BatchNorm buffers
/// after the call (`param_after/*`). Until the text model (ECGText) is wired, only the ECG side is run: `out`,
/// `ecg_feat`, `proj_ecg`, `att_pool_weights`, `ecg_pooled`, `ecg1`, `ecg2`, `loss_uma` and the buffers.
func checkMerlForward(_ fixture: FixtureCase) throws {
  let model = try merlECGSide(fixture)
  try model.load(stateDict: fixture.group("param"), strict: false)
  let training = fixture.json["mode"] as? String == "train"
  model.train(training)
  guard let signal = fixture.group("input")["signal"] else { throw FixtureError(message: "no input/signal") }
  let ecg = withGradEnabled(training) { model.encodeECG(signal) }
  let got = [
    "out": ecg.out, "ecg_feat": ecg.ecgFeat, "proj_ecg": ecg.projECG, "att_pool_weights": ecg.attPoolWeights,
    "ecg_pooled": ecg.ecgPooled, "ecg1": ecg.ecg1, "ecg2": ecg.ecg2, "loss_uma": Merl.clipLoss(ecg.ecg1, ecg.ecg2),
  ]
  for (name, tensor) in got {
    let want = fixture.tensors["output/\(name)"] ?? fixture.tensors["intermediate/\(name)"]
    guard let want else {
      Issue.record("\(fixture.name): no fixture tensor for \(name)")
      continue
    }
    expectFixtureClose(tensor, want, fixture, name)
  }
  let state = model.stateDict()
  for (name, want) in fixture.group("param_after") {
    guard let tensor = state[name] else {
      Issue.record("\(fixture.name): no buffer \(name)")
      continue
    }
    expectFixtureClose(tensor, want, fixture, "param_after/\(name)")
  }
}
