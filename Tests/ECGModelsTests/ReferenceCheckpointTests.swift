import ECGCore
import ECGModels
import ECGText
import Foundation
import Testing
import Torch
import TorchTestSupport

/// The reference's `.pt` checkpoints of MAE-ViT, MERL, MLAE, MTAE and ST-MEM (`$ECG_REFERENCE_DIR/checkpoints/`):
/// built from `load_config` and loaded by the `--nn_ckpt` rules (`CheckpointLoading`: non-strict, `ema_state_dict`
/// with `--ema` over `model_state_dict`, so entries the EMA lacks keep the trained values rather than the fresh ones),
/// the load report names no key outside the reference's `entries_not_in_state_dict`, the loaded entries equal
/// `expected/*`, and `get_features` in eval mode gives `output/features`.
@Suite struct ReferenceCheckpointTests {
  static let networks: Set<String> = ["mae_vit", "merl", "mlae", "mtae", "st_mem"]

  static func cases() -> [String] {
    fixtureNames("checkpoints").filter { name in
      let url = FixtureCase.referenceDirectory.appendingPathComponent("checkpoints/\(name).json")
      guard let data = try? Data(contentsOf: url),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
      else { return false }
      return networks.contains(json["network"] as? String ?? "")
    }
  }

  /// A checkpoint of the same network at another size: PyTorch's non-strict load raises on the mis-shaped
  /// tensors, and so does ours (it loaded the one bias that fit and trained on from random weights).
  @Test func aCheckpointOfAnotherSizeIsRefusedNamingTheTensors() throws {
    let fixture = try FixtureCase.load("checkpoints", "mtae")
    let data = try JSONSerialization.data(withJSONObject: fixture.json["load_config"] ?? [:])
    var config = try JSONDecoder().decode(MTAEConfig.self, from: data)
    config.decoderEmbedDim *= 2
    let url = FixtureCase.referenceDirectory.appendingPathComponent("checkpoints/mtae.pt")
    let (weights, source) = try CheckpointLoading.readStateDict(at: url, ema: false)
    let report = try CheckpointLoading.load(weights, into: MTAE(config: config), source: source)
    #expect {
      try CheckpointLoading.refuseShapeMismatches(report)
    } throws: { error in
      let message = "\(error)"
      return message.contains("shaped otherwise than the network's") && message.contains("pass the flags that built it")
    }
  }

  @Test func everyNetworkHasACheckpoint() {
    #expect(Self.cases().count >= Self.networks.count)
  }

  @Test(arguments: cases())
  func loadsAndComputes(_ name: String) throws {
    let fixture = try FixtureCase.load("checkpoints", name)
    let load = fixture.json["load"] as? [String: Any] ?? [:]
    let flags = load["flags"] as? [String: Any] ?? [:]
    let config = try JSONSerialization.data(withJSONObject: fixture.json["load_config"] ?? [:])
    let decoder = JSONDecoder()
    let url = FixtureCase.referenceDirectory.appendingPathComponent("checkpoints/\(name).pt")
    let wantsEMA = flags["--ema"] as? Bool ?? false
    let (weights, source) = try CheckpointLoading.readStateDict(at: url, ema: wantsEMA)
    #expect(source == load["state_dict"] as? String)

    let model: Module
    let features: (Tensor) -> Tensor
    switch fixture.json["network"] as? String {
    case "mae_vit":
      let m = MAEViT(config: try decoder.decode(MAEViTConfig.self, from: config))
      let visible = fixture.group("input")["visible_mask"]
      (model, features) = (m, { m.features(PatchBatch(patches: $0, visibleMask: visible!)) })
    case "mtae":
      let m = MTAE(config: try decoder.decode(MTAEConfig.self, from: config))
      (model, features) = (m, { m.features(SignalBatch(signal: $0)) })
    case "mlae":
      let m = MLAE(config: try decoder.decode(MLAEConfig.self, from: config))
      (model, features) = (m, { m.features(SignalBatch(signal: $0)) })
    case "st_mem":
      let m = STMEM(config: try decoder.decode(STMEMConfig.self, from: config))
      (model, features) = (m, { m.features(SignalBatch(signal: $0)) })
    case "merl":
      let text = try BertModel(
        BertConfiguration(
          dictionary: fixture.json["load_config"].flatMap { ($0 as? [String: Any])?["text_model"] as? [String: Any] }
            ?? [:]))
      let m = try Merl(config: try decoder.decode(MerlConfig.self, from: config), textModel: text)
      (model, features) = (m, { m.resnetFeatures(SignalBatch(signal: $0)) })
    case let network:
      Issue.record("\(name): unknown network \(network ?? "nil")")
      return
    }

    let report = try CheckpointLoading.load(weights, into: model, source: source).keys
    let notInDict = Set(load["entries_not_in_state_dict"] as? [String] ?? [])
    #expect(Set(report.missing).isSubset(of: notInDict), "\(name): \(report)")
    #expect(report.shapeMismatches.isEmpty && report.unexpected.isEmpty, "\(name): \(report)")

    let state = model.stateDict()
    for (key, want) in fixture.group("expected") {
      guard let got = state[key] else {
        Issue.record("\(name): the model has no \(key)")
        continue
      }
      #expect(got.shape == want.shape && got.doubles() == want.doubles(), "\(name): \(key) differs after loading")
    }

    model.eval()
    let inputs = fixture.group("input")
    guard let signal = inputs["series"] ?? inputs["signal"] ?? inputs["patches"] else {
      throw FixtureError(message: "\(name): no input")
    }
    let got = withNoGrad { features(signal) }
    guard let want = fixture.tensors["output/features"] else { throw FixtureError(message: "no output/features") }
    expectFixtureClose(got, want, fixture, "features")
    #expect(fixture.group("output").count == 1, "\(name): outputs other than features are not compared")
  }
}
