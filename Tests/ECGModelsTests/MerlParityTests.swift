import ECGCore
import ECGModels
import ECGText
import Foundation
import Testing
import Torch
import TorchTestSupport

/// Data-driven parity of MERL with every case under `$ECG_REFERENCE_DIR/models/merl/` (README-mae.md): `init`
/// from the seed (child process), `forward` in train mode (loss, every intermediate, gradients, BatchNorm buffers
/// after the call) and eval mode with the stand-in BERT (`config.text_model`, weights `param/lm.*`),
/// `get_features`, and the default state_dict listing (ECG side; the listed `lm.*` entries are a stand-in's).
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
      let model = try merl(fixture)
      try model.load(stateDict: fixture.group("param"), strict: true)
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
    var builderFlags = BuilderFlags(neuralNetwork: flags["--neural_network"] as? String ?? "")
    builderFlags.segmentLen = flags["--segment_len"] as? Int ?? 2500
    let built = try NetworkBuilder.build(builderFlags).network
    guard let model = built as? Merl else {
      Issue.record("the builder made \(type(of: built)) for merl")
      return
    }
    let data = try JSONSerialization.data(withJSONObject: json["config"] ?? [:])
    #expect(model.config == (try JSONDecoder().decode(MerlConfig.self, from: data)))
    builderFlags.objective = "merl"
    #expect(throws: ModelConfigurationError.self) { try NetworkBuilder.build(builderFlags) }
    expectStateDictListing(model, json, "merl", skipping: ["lm."])
  }

  @Test func configurationErrorsAreThrown() {
    var config = MerlConfig(segmentLength: 1000)
    config.spacialDim = 157
    #expect(throws: ModelConfigurationError.self) { try Merl(config: config, textModel: nil) }
    config = MerlConfig()
    config.resnetType = "resnet152"
    #expect(throws: ModelConfigurationError.self) { try config.validate() }
    config = MerlConfig()
    config.resnetType = "resnet18"
    #expect(throws: ModelConfigurationError.self) { try config.validate() }  // in_channels 2048 vs 512
    config.inChannels = 512
    #expect(throws: Never.self) { try config.validate() }
  }
}

/// MERL's ECG side from a fixture's config (no text model; `proj_t.0` takes `text_hidden_size`).
func merlECGSide(_ fixture: FixtureCase) throws -> Merl {
  let data = try JSONSerialization.data(withJSONObject: fixture.config)
  return try Merl(config: try JSONDecoder().decode(MerlConfig.self, from: data), textModel: nil)
}

/// MERL with the case's stand-in text model (`config.text_model`, a transformers BertConfig), weights to be loaded.
func merl(_ fixture: FixtureCase) throws -> Merl {
  let data = try JSONSerialization.data(withJSONObject: fixture.config)
  guard let textConfig = fixture.config["text_model"] as? [String: Any] else {
    throw FixtureError(message: "\(fixture.name): no config.text_model")
  }
  let text = try BertModel(BertConfiguration(dictionary: textConfig))
  return try Merl(config: try JSONDecoder().decode(MerlConfig.self, from: data), textModel: text)
}

/// Forward cases: load `param/*` strictly, run in the case's mode, compare outputs, every intermediate and the
/// BatchNorm buffers after the call (`param_after/*`); in train mode the gradients of every trainable parameter.
func checkMerlForward(_ fixture: FixtureCase) throws {
  let model = try merl(fixture)
  try model.load(stateDict: fixture.group("param"), strict: true)
  let training = fixture.json["mode"] as? String == "train"
  model.train(training)
  let inputs = fixture.group("input")
  guard let signal = inputs["signal"], let ids = inputs["condition/input_ids"],
    let mask = inputs["condition/attention_mask"], let types = inputs["condition/token_type_ids"]
  else { throw FixtureError(message: "\(fixture.name): missing inputs") }
  let text = TextCondition(inputIDs: ids, attentionMask: mask, tokenTypeIDs: types)
  let out = withGradEnabled(training) { model(SignalBatch(signal: signal, condition: .text(text))) }
  let got = [
    "loss": out.loss, "out": out.out, "ecg_feat": out.ecgFeat, "proj_ecg": out.projECG,
    "att_pool_weights": out.attPoolWeights, "ecg_pooled": out.ecgPooled, "ecg1": out.ecg1, "ecg2": out.ecg2,
    "text_emb": out.textEmb, "proj_text": out.projText, "loss_cma": out.lossCMA, "loss_uma": out.lossUMA,
  ]
  compare(got, fixture, strict: true)
  #expect(model.lm?.isTraining == false, "the text model must stay in eval mode")
  let state = model.stateDict()
  let after = fixture.group("param_after")
  #expect(after.count == (fixture.json["param_after"] as? [String] ?? []).count)
  for (name, want) in after {
    guard let tensor = state[name] else {
      Issue.record("\(fixture.name): no buffer \(name)")
      continue
    }
    expectFixtureClose(tensor, want, fixture, "param_after/\(name)")
  }
  if training {
    checkGradients(model, loss: out.loss, fixture, strict: true)
    #expect(model.lm?.namedParameters().allSatisfy { $0.tensor.grad == nil } == true, "the text model got gradients")
  }
}
