import ECGModels
import Foundation
import Testing
import Torch
import TorchTestSupport

/// `models/<network>/state_dict.default*.json`: the network as the reference's builder builds it from default flags
/// has the same configuration, state_dict names, shapes, kinds, order, trainable flags, `named_parameters()` order
/// and parameter counts. Construction only (no forward); one network at a time to bound memory.
@Suite(.serialized) struct DefaultStateDictTests {
  static func cases() -> [String] {
    ["mae_vit", "mtae", "mlae", "st_mem"].flatMap { folder in
      fixtureNames("models/\(folder)").filter { $0.hasPrefix("state_dict.default") }.map { "\(folder)/\($0)" }
    }
  }

  @Test func everyNetworkHasADefaultStateDict() {
    #expect(Self.cases().count >= 4)
  }

  @Test(arguments: cases())
  func matchesReference(_ id: String) throws {
    let url = FixtureCase.referenceDirectory.appendingPathComponent("models/\(id).json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    let flags = json["builder_flags"] as? [String: Any] ?? [:]
    let segmentLength = flags["--segment_len"] as? Int ?? 2500
    let patchDim = flags["--patch_dim"] as? Int ?? 2500
    let configData = try JSONSerialization.data(withJSONObject: json["config"] ?? [:])
    let decoder = JSONDecoder()
    let model: Module
    switch json["network"] as? String {
    case "mae_vit":
      let config = MAEViTConfig(patchDim: patchDim)
      #expect(config == (try decoder.decode(MAEViTConfig.self, from: configData)))
      model = MAEViT(config: config)
    case "mtae":
      let config = MTAEConfig(segmentLength: segmentLength)
      #expect(config == (try decoder.decode(MTAEConfig.self, from: configData)))
      model = MTAE(config: config)
    case "mlae":
      let config = MLAEConfig(segmentLength: segmentLength)
      #expect(config == (try decoder.decode(MLAEConfig.self, from: configData)))
      model = MLAE(config: config)
    case "st_mem":
      let config = STMEMConfig(segmentLength: segmentLength)
      #expect(config == (try decoder.decode(STMEMConfig.self, from: configData)))
      model = STMEM(config: config)
    case let network:
      Issue.record("\(id): unknown network \(network ?? "nil")")
      return
    }
    expectStateDictListing(model, json, id)
  }
}

/// Compares a module with a `state_dict.default*.json` listing; entries under `skipping` prefixes (a text model
/// listed from a stand-in) are left out on both sides.
func expectStateDictListing(_ model: Module, _ json: [String: Any], _ id: String, skipping: [String] = []) {
  func kept(_ name: String) -> Bool { !skipping.contains { name.hasPrefix($0) } }
  let listing = (json["state_dict"] as? [[String: Any]] ?? []).filter { kept($0["name"] as? String ?? "") }
  let state = model.stateDict().entries.filter { kept($0.name) }
  let buffers = Set(model.namedBuffers().map(\.name))
  #expect(state.map(\.name) == listing.map { $0["name"] as? String ?? "" }, "\(id): names or order differ")
  for (entry, want) in zip(state, listing) {
    #expect(entry.tensor.shape == want["shape"] as? [Int], "\(id): \(entry.name) shape")
    let kind = buffers.contains(entry.name) ? "buffer" : "parameter"
    #expect(kind == want["kind"] as? String, "\(id): \(entry.name) kind")
    if kind == "parameter" {
      #expect(entry.tensor.requiresGrad == want["trainable"] as? Bool, "\(id): \(entry.name) trainable")
    }
  }
  let parameters = model.namedParameters().filter { kept($0.name) }
  if let order = json["named_parameters_order"] as? [String] {
    #expect(parameters.map(\.name) == order.filter(kept), "\(id): named_parameters order")
  }
  let trainable = parameters.filter { $0.tensor.requiresGrad }.reduce(0) { $0 + $1.tensor.count }
  #expect(trainable == json["trainable_parameter_count"] as? Int, "\(id): trainable parameter count")
  if skipping.isEmpty {
    #expect(parameters.reduce(0) { $0 + $1.tensor.count } == json["parameter_count"] as? Int, "\(id): parameter count")
  }
}
