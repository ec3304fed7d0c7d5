import ECGCore
import ECGModels
import Foundation
import Torch
import TorchTestSupport

/// Runs one reference case of the transformer networks (DiT, NEPA, decoder, decoder + signal head) and lists
/// every mismatch in words. Used in-process with replayed draws and in a child process with seeded draws.
enum TransformerParity {
  /// The fixture folders this runner knows, under `models/`.
  static let folders = [
    "trans_continuous_dit", "trans_continuous_nepa", "trans_discrete_decoder", "trans_discrete_decoder_signal_head",
  ]

  /// Case names (state-dict layouts excluded) of `folder`.
  static func caseNames(_ folder: String) -> [String] {
    fixtureNames("models/\(folder)").filter { !$0.hasPrefix("state_dict") }
  }

  enum DrawSource {
    /// Substitute `draw/<i>` for the i-th draw.
    case replay
    /// `manualSeed(seed)` right before the call (before construction for `init`), drawing from libtorch.
    case seeded
  }

  /// What a call produced: outputs, intermediates and (after backward) gradients by parameter name.
  struct Produced {
    var outputs: [String: Tensor] = [:]
    var intermediates: [String: Tensor] = [:]
    var gradients: [String: Tensor]?
  }

  /// Runs `name` of `folder` and returns the failures (empty when everything matched).
  static func run(folder: String, name: String, draws source: DrawSource) throws -> [String] {
    let fixture = try FixtureCase.load("models/\(folder)", name)
    let method = fixture.json["method"] as? String ?? "?"
    let seed = UInt64(fixture.json["seed"] as? Int ?? 0)
    if method == "init" { return try checkInit(fixture, folder: folder, seed: seed, seeded: source == .seeded) }
    let model = try build(folder: folder, config: fixture.config)
    try model.load(stateDict: fixture.group("param"), strict: true)
    let recorded = (0..<fixture.group("draw").count).map { fixture.tensors["draw/\($0)"]! }
    let draws = source == .replay ? RandomDraws(replaying: recorded) : RandomDraws()
    if fixture.json["mode"] as? String == "eval" { model.eval() } else { model.train() }
    if source == .seeded { Torch.manualSeed(seed) }
    let produced = try call(model, method: method, fixture: fixture, draws: draws)
    var failures = compare(produced, fixture)
    if source == .replay && !draws.isExhausted {
      failures.append("\(name): used \(draws.consumed) of \(recorded.count) recorded draws")
    }
    return failures
  }

  // MARK: - Building

  static func build(folder: String, config: [String: Any]) throws -> Module {
    let data = try JSONSerialization.data(withJSONObject: config)
    let decoder = JSONDecoder()
    switch folder {
    case "trans_continuous_dit":
      let ditConfig = try decoder.decode(DiTConfig.self, from: data)
      return try DiT(ditConfig, textEncoder: try textEncoder(config))
    case "trans_continuous_nepa": return try NEPA(decoder.decode(NEPAConfig.self, from: data))
    case "trans_discrete_decoder":
      return try DecoderTransformer(decoder.decode(DecoderTransformerConfig.self, from: data))
    case "trans_discrete_decoder_signal_head":
      return try DecoderWithSignalHead(decoder.decode(DecoderWithSignalHeadConfig.self, from: data))
    default: throw FixtureError(message: "no runner for the network folder \(folder)")
    }
  }

  /// The text model of a text-conditioned case (`config.text_model`, a BertConfig), or nil.
  static func textEncoder(_ config: [String: Any]) throws -> (any TextEncoder)? {
    guard config["condition"] as? String == "text" else { return nil }
    throw FixtureError(message: "text conditioning needs the BERT text encoder (ECGText), not built yet")
  }

  // MARK: - Calls

  static func call(_ model: Module, method: String, fixture: FixtureCase, draws: RandomDraws) throws -> Produced {
    let inputs = fixture.group("input")
    let args = fixture.json["arguments"] as? [String: Any] ?? [:]
    func bool(_ name: String) -> Tensor? { inputs[name].map { $0.to(.bool) } }
    var produced = Produced()
    switch (model, method) {
    case (let dit as DiT, _):
      let condition = signalCondition(inputs)
      switch method {
      case "forward":
        let batch = SignalBatch(signal: inputs["signal"]!, paddingMask: bool("padding_mask"), condition: condition)
        let out = dit(batch, draws: draws)
        produced.outputs = ["loss": out.loss, "prediction": out.prediction]
        produced.gradients = gradients(of: out.loss, model)
      case "sample":
        let shape = args["shape"] as! [Int]
        produced.outputs["samples"] = try dit.sample(
          batchSize: shape[0], channels: shape[1], length: shape[2], numSteps: args["num_steps"] as? Int,
          paddingMask: bool("padding_mask"), condition: condition, cfgScale: args["cfg_scale"] as? Double ?? 1,
          draws: draws)
      case "reconstruct":
        let r = dit.reconstruct(
          inputs["signal"]!, tValue: args["t_value"] as? Double ?? 0.5, paddingMask: bool("padding_mask"),
          condition: condition, cfgScale: args["cfg_scale"] as? Double ?? 1, draws: draws)
        produced.outputs = ["x1_pred": r.x1Pred, "xt": r.xt]
      case "get_features":
        produced.outputs["features"] = withNoGrad { dit.features(inputs["signal"]!, paddingMask: bool("padding_mask")) }
      default: throw FixtureError(message: "\(fixture.name): DiT has no method \(method)")
      }
    case (let nepa as NEPA, "forward"):
      let batch = SignalBatch(
        signal: inputs["signal"]!, paddingMask: bool("padding_mask"), modalityMask: bool("modality_mask"))
      let out = nepa(batch)
      produced.outputs = ["loss": out.loss, "pred_embed": out.predEmbed, "input_embed": out.inputEmbed]
      produced.gradients = gradients(of: out.loss, model)
    case (let nepa as NEPA, "encode"):
      produced.outputs["hidden"] = nepa.encode(inputs["signal"]!, paddingMask: bool("padding_mask"))
    case (let decoder as DecoderTransformer, "forward"):
      let noGrad = (args["no_grad"] as? Bool) ?? (fixture.json["mode"] as? String == "eval")
      let out = withGradEnabled(!noGrad) {
        decoder(inputs["tgt_ids"]!, keyPaddingMask: bool("tgt_key_padding_mask"), labels: inputs["labels"])
      }
      produced.outputs = ["logits": out.logits, "hidden_states": out.hiddenStates]
      if let loss = out.loss {
        produced.outputs["loss"] = loss
        produced.gradients = gradients(of: loss, model)
      }
    case (let decoder as DecoderTransformer, "generate"):
      var probabilities: [String: Tensor] = [:]
      let g = decoder.generate(
        inputs["tgt_ids"]!, maxNewTokens: args["max_new_tokens"] as! Int,
        temperature: args["temperature"] as? Double ?? 1, topK: args["top_k"] as? Int,
        doSample: args["do_sample"] as? Bool ?? false, returnNewOnly: args["return_new_only"] as? Bool ?? false,
        draws: draws
      ) { probabilities["sample_probs_\($0)"] = $1 }
      produced.outputs = ["tokens": g.tokens, "logits": g.logits!]
      produced.intermediates = probabilities
    case (let wrapper as DecoderWithSignalHead, "forward"):
      let batch = TokenBatch(
        tgtIDs: inputs["tgt_ids"]!, labels: inputs["labels"], keyPaddingMask: bool("tgt_key_padding_mask"),
        signal: inputs["signal"]!)
      let out = wrapper(batch, draws: draws)
      produced.outputs = ["loss": out.loss, "prediction": out.prediction]
      produced.gradients = gradients(of: out.loss, model)
    case (let wrapper as DecoderWithSignalHead, "generate_signal"):
      let shape = args["signal_shape"] as! [Int]
      let g = wrapper.generateSignal(
        inputs["tgt_ids"]!, maxNewTokens: args["max_new_tokens"] as! Int, length: shape[2],
        numSteps: args["num_steps"] as? Int, draws: draws)
      precondition(g.signal.shape == shape, "generated signal shape \(g.signal.shape) is not \(shape)")
      produced.outputs["signal"] = g.signal
      produced.intermediates["new_tokens"] = g.newTokens
    default:
      throw FixtureError(message: "\(fixture.name): no runner for method \(method) of \(type(of: model))")
    }
    return produced
  }

  static func signalCondition(_ inputs: StateDict) -> SignalCondition? {
    if let lead = inputs["condition"] { return .lead(lead) }
    guard let ids = inputs["condition/input_ids"] else { return nil }
    let mask = inputs["condition/attention_mask"] ?? Tensor.ones(like: ids)
    return .text(
      TextCondition(
        inputIDs: ids, attentionMask: mask, tokenTypeIDs: inputs["condition/token_type_ids"] ?? Tensor.zeros(like: ids))
    )
  }

  /// d loss / d parameter for every trainable parameter, by name.
  static func gradients(of loss: Tensor, _ model: Module) -> [String: Tensor] {
    loss.backward()
    var result: [String: Tensor] = [:]
    for (name, tensor) in model.trainableParameters() { result[name] = tensor.grad }
    return result
  }

  // MARK: - Comparison

  static func compare(_ produced: Produced, _ fixture: FixtureCase) -> [String] {
    var failures: [String] = []
    let tolerance = fixture.tolerance
    let grad = fixture.json["tolerance_grad"] as? [String: Double]
    for (name, want) in fixture.group("output") {
      failures += mismatch(produced.outputs[name], want, "\(fixture.name) output/\(name)", tolerance)
    }
    for (name, want) in fixture.group("intermediate") {
      failures += mismatch(produced.intermediates[name], want, "\(fixture.name) intermediate/\(name)", tolerance)
    }
    let wanted = fixture.group("grad_param")
    if wanted.count > 0 || produced.gradients != nil {
      let got = produced.gradients ?? [:]
      let names = Set(got.keys)
      if names != Set(wanted.names) {
        failures.append(
          "\(fixture.name): trainable parameters \(names.subtracting(wanted.names).sorted()) not in grad_param, "
            + "\(Set(wanted.names).subtracting(names).sorted()) missing")
      }
      for (name, want) in wanted {
        failures += mismatch(
          got[name], want, "\(fixture.name) grad_param/\(name)", (grad?["abs"] ?? 1e-4, grad?["rel"] ?? 1e-3))
      }
    }
    return failures
  }

  /// The elements of `got` outside `|got − want| <= abs + rel·|want|` (integers: exact), as one message.
  static func mismatch(_ got: Tensor?, _ want: Tensor, _ what: String, _ tolerance: (abs: Double, rel: Double))
    -> [String]
  {
    guard let got else { return ["\(what): not produced"] }
    guard got.shape == want.shape else { return ["\(what): shape \(got.shape), want \(want.shape)"] }
    let exact = !want.dtype.isFloatingPoint
    let (g, w) = (got.doubles(), want.doubles())
    var bad = 0
    var first: Int?
    for i in w.indices {
      let ok = exact ? g[i] == w[i] : Swift.abs(g[i] - w[i]) <= tolerance.abs + tolerance.rel * Swift.abs(w[i])
      if !ok {
        bad += 1
        if first == nil { first = i }
      }
    }
    guard let i = first else { return [] }
    return ["\(what): \(bad) of \(w.count) elements differ, first [\(i)] got \(g[i]), want \(w[i])"]
  }

  // MARK: - Initialisation

  /// `manualSeed(seed)` then construction: the state dict must equal `init/*` exactly, in `state_dict_order`.
  /// Only meaningful with seeded draws; the replay mode checks names, order and shapes.
  static func checkInit(_ fixture: FixtureCase, folder: String, seed: UInt64, seeded: Bool) throws -> [String] {
    if seeded { Torch.manualSeed(seed) }
    let model = try build(folder: folder, config: fixture.config)
    let state = model.stateDict()
    let order = fixture.json["state_dict_order"] as? [String] ?? []
    var failures: [String] = []
    if state.names != order { failures.append("\(fixture.name): state_dict order \(state.names), want \(order)") }
    let wanted = fixture.group("init")
    if Set(wanted.names) != Set(order) { failures.append("\(fixture.name): init/* does not cover state_dict_order") }
    for (name, want) in wanted {
      if seeded {
        failures += mismatch(state[name], want, "\(fixture.name) init/\(name)", (0, 0))
      } else if state[name]?.shape != want.shape {
        failures.append("\(fixture.name) init/\(name): shape \(state[name]?.shape ?? []), want \(want.shape)")
      }
    }
    return failures
  }
}
