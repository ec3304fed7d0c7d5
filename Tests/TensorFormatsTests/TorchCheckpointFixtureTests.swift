import Foundation
import TensorFormats
import Testing

@Suite struct TorchCheckpointFixtureTests {
  static func reference() throws -> TorchCheckpoint {
    try TorchCheckpoint(contentsOf: Fixtures.formats.appendingPathComponent("checkpoint.pt"))
  }

  @Test func topLevelKeysAndPrimitivesMatch() throws {
    let expected = try Fixtures.expected()
    let checkpoint = try Self.reference()
    let keys = try #require(checkpoint.root.dictionaryEntries).map { entry -> String? in
      if case .string(let key) = entry.key { key } else { nil }
    }
    #expect(keys == expected.checkpoint.keys)
    #expect(checkpoint["epoch"]?.intValue == Int64(expected.checkpoint.epoch))
    #expect(checkpoint["step"]?.intValue == Int64(expected.checkpoint.step))
  }

  @Test func modelStateDictHasEveryExpectedTensor() throws {
    let expected = try Fixtures.expected()
    let model = try #require(try Self.reference()["model_state_dict"]?.stateDictionary)
    let tensors = Dictionary(uniqueKeysWithValues: model.map { ($0.name, $0.tensor) })
    #expect(Set(tensors.keys) == Set(expected.tensors.keys))
    for (name, entry) in expected.namedTensors { try entry.check(tensors[name], named: name) }
  }

  @Test func emaStateDictIsTwiceTheFloatingTensors() throws {
    let expected = try Fixtures.expected()
    let ema = try #require(try Self.reference()["ema_state_dict"]?.stateDictionary)
    let tensors = Dictionary(uniqueKeysWithValues: ema.map { ($0.name, $0.tensor) })
    #expect(Set(tensors.keys) == Set(expected.tensors.keys))
    for (name, entry) in expected.namedTensors {
      let floating = ["float32", "float64", "float16", "bfloat16"].contains(entry.dtype)
      try entry.check(tensors[name], named: name, scale: floating ? 2 : 1)
    }
  }

  @Test func stridedViewKeepsItsOffsetAndStrides() throws {
    let model = try #require(try Self.reference()["model_state_dict"])
    let view = try #require(model["strided_view"]?.tensor)
    #expect(!view.isContiguous)
    #expect(view.storageOffset == 1)
    #expect(view.strides == [4, 1])
    #expect(view.makeContiguous().contiguousBytes() == view.contiguousBytes())
  }

  @Test func optimizerStateIsReadAsPlainData() throws {
    let optimizer = try #require(try Self.reference()["optimizer_state_dict"])
    let groups = try #require(optimizer["param_groups"])
    guard case .list(let list) = groups, let first = list.first else {
      Issue.record("param_groups is not a list")
      return
    }
    #expect(first["lr"].map { if case .float(let lr) = $0 { lr == 0.001 } else { false } } == true)
    #expect(first["foreach"].map { if case .none = $0 { true } else { false } } == true)
    let state = try #require(optimizer["state"]?.dictionaryEntries)
    #expect(state.first?.key.intValue == 0)
    #expect(state.first?.value["exp_avg"]?.tensor?.shape == [4, 3])
  }
}
