import Foundation
import Testing
import Torch
import TorchTestSupport

/// Every case under `$ECG_REFERENCE_DIR/layers`: build the layer from `config`, load `param/*`, run it on
/// `input/*`, compare `output/*`, then backpropagate Σ output·upstream and compare `grad_input/*`,
/// `grad_param/*` and (train mode) `param_after/*`.
@Suite struct LayerFixtureTests {
  @Test func fixtureFolderHasCases() {
    #expect(!fixtureNames("layers").isEmpty, "no layer fixtures in \(FixtureCase.referenceDirectory.path)/layers")
  }

  @Test(arguments: fixtureNames("layers"))
  func referenceCase(_ name: String) throws {
    let fixture = try FixtureCase.load("layers", name)
    let inputs = LayerFixtureInputs(fixture.group("input"))
    let run = try LayerFixtureRunner.make(fixture, inputs: inputs)
    let outputs = run.forward()
    let expected = fixture.group("output")
    #expect(
      Set(outputs.names) == Set(expected.names), "\(name): outputs \(outputs.names) vs expected \(expected.names)")
    for (key, want) in expected {
      guard let got = outputs[key] else { continue }
      expectFixtureClose(got, want, fixture, "output/\(key)")
    }

    var objective: Tensor?
    for (key, output) in outputs {
      guard let upstream = inputs.tensors["upstream_\(key)"] else {
        Issue.record("\(name): no input/upstream_\(key)")
        continue
      }
      let term = (output * upstream).sum()
      objective = objective.map { $0 + term } ?? term
    }
    objective?.backward()
    for (key, want) in fixture.group("grad_input") {
      guard let got = inputs.tensors[key]?.grad else {
        Issue.record("\(name): no gradient for input \(key)")
        continue
      }
      expectFixtureClose(got, want, fixture, "grad_input/\(key)")
    }
    let parameters = run.module.map { StateDict($0.namedParameters()) } ?? StateDict()
    for (key, want) in fixture.group("grad_param") {
      guard let got = parameters[key]?.grad else {
        Issue.record("\(name): no gradient for parameter \(key)")
        continue
      }
      expectFixtureClose(got, want, fixture, "grad_param/\(key)")
    }
    let state = run.module?.stateDict() ?? StateDict()
    for (key, want) in fixture.group("param_after") {
      guard let got = state[key] else {
        Issue.record("\(name): no buffer \(key)")
        continue
      }
      expectFixtureClose(got, want, fixture, "param_after/\(key)")
    }
  }
}

/// Inputs as leaf tensors: floating ones require gradients, uint8 masks become boolean.
struct LayerFixtureInputs {
  let tensors: StateDict

  init(_ raw: StateDict) {
    tensors = StateDict(
      raw.map { name, tensor in
        if name.hasPrefix("upstream_") { return (name, tensor) }
        if tensor.dtype == .uint8 { return (name, tensor.to(.bool)) }
        return (name, tensor.dtype.isFloatingPoint ? tensor.requiringGrad() : tensor)
      })
  }

  func callAsFunction(_ name: String) throws -> Tensor {
    guard let tensor = tensors[name] else { throw FixtureError(message: "missing input/\(name)") }
    return tensor
  }
}

/// Builds the module a case describes and knows how to run it.
struct LayerFixtureRunner {
  let module: Module?
  let forward: () -> StateDict

  static func make(_ fixture: FixtureCase, inputs input: LayerFixtureInputs) throws -> LayerFixtureRunner {
    let config = fixture.config
    func int(_ key: String) throws -> Int {
      guard let value = config[key] as? Int else { throw FixtureError(message: "\(fixture.name): config lacks \(key)") }
      return value
    }
    let params = fixture.group("param")
    let training = (fixture.json["mode"] as? String) == "train"
    func prepare(_ module: Module) throws -> Module {
      try module.load(stateDict: params)
      module.train(training)
      return module
    }
    switch fixture.json["layer"] as? String {
    case "Linear":
      let layer = Linear(try int("in"), try int("out"), bias: config["bias"] as? Bool ?? true)
      let x = try input("x")
      return .init(module: try prepare(layer)) { StateDict([("y", layer(x))]) }
    case "LayerNorm":
      let layer = LayerNorm(
        try int("dim"), eps: config["eps"] as? Double ?? 1e-5, elementwiseAffine: params["weight"] != nil,
        bias: params["bias"] != nil)
      let x = try input("x")
      return .init(module: try prepare(layer)) { StateDict([("y", layer(x))]) }
    case "Conv1d":
      let layer = Conv1d(
        try int("in"), try int("out"), kernelSize: try int("kernel"), stride: config["stride"] as? Int ?? 1,
        padding: config["padding"] as? Int ?? 0, groups: config["groups"] as? Int ?? 1,
        bias: config["bias"] as? Bool ?? true)
      let x = try input("x")
      return .init(module: try prepare(layer)) { StateDict([("y", layer(x))]) }
    case "BatchNorm1d":
      let layer = BatchNorm1d(
        try int("num_features"), eps: config["eps"] as? Double ?? 1e-5, momentum: config["momentum"] as? Double ?? 0.1)
      let x = try input("x")
      return .init(module: try prepare(layer)) { StateDict([("y", layer(x))]) }
    case "Embedding":
      let layer = Embedding(try int("num_embeddings"), try int("dim"), paddingIndex: config["padding_idx"] as? Int)
      let ids = try input("ids")
      return .init(module: try prepare(layer)) { StateDict([("y", layer(ids))]) }
    case "MultiheadAttention":
      let layer = MultiheadAttention(
        embedDim: try int("embed_dim"), heads: try int("num_heads"), dropout: config["dropout"] as? Double ?? 0)
      let module = try prepare(layer)
      let expectsWeights = fixture.group("output")["weights"] != nil
      // Self-attention cases give `x`; cross-attention cases give `q` and `kv`.
      let (query, keyValue) = try input.tensors["x"].map { ($0, $0) } ?? (input("q"), input("kv"))
      return .init(module: module) {
        let result = layer(
          query: query, key: keyValue, value: keyValue, keyPaddingMask: input.tensors["key_padding_mask"],
          attentionMask: input.tensors["attn_mask"], needWeights: expectsWeights)
        return StateDict([("y", result.output)] + (result.weights.map { [("weights", $0)] } ?? []))
      }
    case "Identity":
      return try functionalCase(fixture, input)
    case let other:
      throw FixtureError(message: "\(fixture.name): unknown layer kind \(other ?? "nil")")
    }
  }

  /// Cases without a module, recognised by their inputs and outputs.
  private static func functionalCase(_ fixture: FixtureCase, _ input: LayerFixtureInputs) throws -> LayerFixtureRunner {
    let outputs = Set(fixture.group("output").names)
    if outputs == ["gelu", "gelu_tanh", "silu", "softmax", "log_softmax"] {
      let x = try input("x")
      return .init(module: nil) {
        StateDict([
          ("gelu", x.gelu()), ("gelu_tanh", x.gelu(approximate: .tanh)), ("silu", x.silu()),
          ("softmax", x.softmax(dim: -1)), ("log_softmax", x.logSoftmax(dim: -1)),
        ])
      }
    }
    if let logits = input.tensors["logits"], let labels = input.tensors["labels"] {
      return .init(module: nil) { StateDict([("y", Functional.crossEntropy(logits, labels, ignoreIndex: -100))]) }
    }
    if let q = input.tensors["q"], let k = input.tensors["k"], let v = input.tensors["v"] {
      return .init(module: nil) {
        StateDict([("y", Functional.scaledDotProductAttention(query: q, key: k, value: v, isCausal: true))])
      }
    }
    throw FixtureError(message: "\(fixture.name): unknown functional case with outputs \(outputs.sorted())")
  }
}
