import ECGCore
import ECGModels
import Foundation
import Testing
import Torch
import TorchTestSupport

/// The reference's `.pt` checkpoints of MAE-ViT, MERL, MLAE, MTAE and ST-MEM (`$ECG_REFERENCE_DIR/checkpoints/`):
/// built from `load_config`, loaded non-strictly from the entry `load` names (`ema_state_dict` with `--ema`), the
/// load report names exactly `entries_not_in_state_dict` as missing, the loaded entries equal `expected/*`, and
/// `get_features` in eval mode gives `output/features`.
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
    let entry =
      wantsEMA && (fixture.json["checkpoint"] as? [String: Any])?["ema_state_dict"] != nil
      ? "ema_state_dict" : "model_state_dict"
    #expect(entry == load["state_dict"] as? String)
    let weights = try StateDict(torchCheckpointAt: url, entry: entry)

    let model: Module
    let features: (Tensor) -> Tensor
    var textSide = false
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
      let m = try Merl(config: try decoder.decode(MerlConfig.self, from: config), textModel: nil)
      (model, features, textSide) = (m, { m.resnetFeatures(SignalBatch(signal: $0)) }, true)
    case let network:
      Issue.record("\(name): unknown network \(network ?? "nil")")
      return
    }

    let report = try model.load(stateDict: weights, strict: false)
    let notInDict = load["entries_not_in_state_dict"] as? [String] ?? []
    #expect(Set(report.missing) == Set(notInDict), "\(name): \(report)")
    #expect(report.shapeMismatches.isEmpty, "\(name): \(report)")
    // MERL built without its text model: the checkpoint's `lm.*` entries are the only unexpected ones.
    #expect(report.unexpected.allSatisfy { textSide && $0.hasPrefix("lm.") }, "\(name): \(report)")

    let state = model.stateDict()
    for (key, want) in fixture.group("expected") where !(textSide && key.hasPrefix("lm.")) {
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
