import ECGModels
import Foundation
import TensorFormats
import Testing
import Torch
import TorchTestSupport

/// The reference's `.pt` checkpoints of the transformer networks (`checkpoints/`, models.md §2.1): each loads
/// by the `--nn_ckpt` rules (EMA or model weights, the wrapper's split, the vocabulary from the right key) and
/// gives the outputs the reference computes after loading; loaded entries equal `expected/*` exactly.
@Suite struct CheckpointLoadingTests {
  /// The checkpoint cases whose network is one of the transformer networks.
  static func cases() -> [String] {
    fixtureNames("checkpoints").filter { name in
      guard let fixture = try? json(name) else { return false }
      return TransformerParity.folders.contains(fixture["network"] as? String ?? "")
    }
  }

  static func json(_ name: String) throws -> [String: Any] {
    let url = FixtureCase.referenceDirectory.appendingPathComponent("checkpoints/\(name).json")
    return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
  }

  static func url(_ name: String) -> URL {
    FixtureCase.referenceDirectory.appendingPathComponent("checkpoints/\(name).pt")
  }

  @Test func everyTransformerNetworkHasACheckpoint() {
    let networks = Set(Self.cases().compactMap { try? Self.json($0)["network"] as? String })
    #expect(
      networks
        == Set(
          TransformerParity.folders.filter { $0 != "trans_discrete_decoder_signal_head" } + [
            "trans_discrete_decoder_signal_head"
          ]))
  }

  @Test(arguments: cases())
  func checkpointGivesTheReferenceOutputs(_ name: String) throws {
    let fixture = try FixtureCase.load("checkpoints", name)
    let load = fixture.json["load"] as! [String: Any]
    let flags = load["flags"] as! [String: Any]
    let ema = flags["--ema"] as? Bool ?? false
    let folder = fixture.json["network"] as! String
    let model = try TransformerParity.build(folder: folder, config: fixture.json["load_config"] as! [String: Any])
    let (state, source) = try CheckpointLoading.readStateDict(at: Self.url(name), ema: ema)
    #expect(source == load["state_dict"] as? String)
    if folder.contains("decoder") {
      // The builder sizes the vocabulary from the checkpoint, also for the wrapper (the reference's KeyError).
      let config = (fixture.json["load_config"] as! [String: Any])
      let decoderConfig = (config["decoder"] as? [String: Any]) ?? config
      #expect(CheckpointLoading.decoderVocabularySize(state) == decoderConfig["vocab_size"] as? Int)
    }
    let representation = (load["representation"] as? [String: Any])?["vocab_size"] as? Int
    let report = try CheckpointLoading.load(state, into: model, source: source, representationVocabSize: representation)
    #expect(report.keys.isClean, "\(name): \(report)")
    let loaded = model.stateDict()
    for (entry, want) in fixture.group("expected") {
      #expect(loaded[entry]?.doubles() == want.doubles(), "\(name): expected/\(entry) differs after loading")
    }
    model.eval()
    let inputs = fixture.group("input")
    func bool(_ key: String) -> Tensor? { inputs[key].map { $0.to(.bool) } }
    var produced: [String: Tensor] = [:]
    withNoGrad {
      switch model {
      case let dit as DiT:
        produced["features"] = dit.features(inputs["signal"]!, paddingMask: bool("padding_mask"))
      case let nepa as NEPA:
        produced["hidden"] = nepa.encode(inputs["signal"]!, paddingMask: bool("padding_mask"))
      case let decoder as DecoderTransformer:
        let out = decoder(inputs["tgt_ids"]!)
        produced = ["logits": out.logits, "hidden_states": out.hiddenStates]
      case let wrapper as DecoderWithSignalHead:
        let ids = inputs["tgt_ids"]!
        let out = wrapper.decoder(ids)
        let mask = ids.eq(Double(wrapper.config.decoder.padID))
        produced = [
          "logits": out.logits, "hidden_states": out.hiddenStates,
          "velocity": wrapper.signalHead(inputs["x_t"]!, inputs["t"]!, context: out.hiddenStates, contextMask: mask),
        ]
      default: Issue.record("\(name): no runner for \(type(of: model))")
      }
    }
    for (output, want) in fixture.group("output") {
      guard let got = produced[output] else {
        Issue.record("\(name): output/\(output) not produced")
        continue
      }
      expectFixtureClose(got, want, fixture, "output/\(output)")
    }
  }

  /// The builder path: flags + checkpoint → network sized by the checkpoint, loaded.
  @Test func builderLoadsTheWrapperCheckpoint() throws {
    var flags = BuilderFlags(neuralNetwork: "trans_discrete_decoder", objective: "autoregressive")
    flags.signalHead = true
    flags.padID = 61
    flags.vocabSize = 64
    flags.bpeSymbolicLen = 32
    flags.segmentLen = 64
    flags.signalHeadLayers = 3
    // Only the widths differ from the reference defaults; the checkpoint is small, so the default-width build
    // must refuse it and name the mis-shaped keys.
    #expect(throws: (any Error).self) {
      _ = try CheckpointLoading.buildNetwork(flags, checkpointAt: Self.url("decoder_signal_head"), ema: false)
    }
    do {
      _ = try CheckpointLoading.buildNetwork(flags, checkpointAt: Self.url("decoder_signal_head"), ema: false)
    } catch {
      #expect("\(error)".contains("decoder.layers.0.self_attn.in_proj_weight"), "\(error)")
    }
  }

  /// A signal-head checkpoint into the plain decoder listed every key as missing and unexpected; it says what to pass.
  @Test func aSignalHeadCheckpointIntoThePlainDecoderSaysToPassSignalHead() throws {
    var flags = BuilderFlags(neuralNetwork: "trans_discrete_decoder", objective: "autoregressive")
    flags.padID = 61
    flags.vocabSize = 64
    #expect {
      _ = try CheckpointLoading.buildNetwork(flags, checkpointAt: Self.url("decoder_signal_head"), ema: false)
    } throws: { error in
      "\(error)".contains("the decoder with its signal head") && "\(error)".contains("pass --signal_head")
    }
  }

  @Test func compiledPrefixesAreStrippedAndMissingKeysReported() throws {
    let (state, _) = try CheckpointLoading.readStateDict(at: Self.url("trans_continuous_nepa"), ema: false)
    var compiled = StateDict(state.map { ("_orig_mod." + $0.name, $0.tensor) })
    compiled["_orig_mod.pred_head.bias"] = nil
    var config = NEPAConfig()
    (config.dModel, config.nHeads, config.dimFF, config.numLayers, config.maxSeqLen) = (32, 4, 64, 2, 64)
    let model = try NEPA(config)
    let report = try CheckpointLoading.load(compiled, into: model)
    #expect(report.keys.missing == ["pred_head.bias"])
    #expect(report.keys.unexpected.isEmpty)
    #expect(model.stateDict()["pred_head.weight"]?.doubles() == state["pred_head.weight"]?.doubles())
  }

  /// `torch.save(model.state_dict(), path)`: the state dict at the top of the file, read as model_state_dict.
  @Test func aBareStateDictLoads() throws {
    let (state, _) = try CheckpointLoading.readStateDict(at: Self.url("trans_continuous_nepa"), ema: false)
    let bare = FileManager.default.temporaryDirectory.appendingPathComponent("bare-\(UUID().uuidString).pt")
    defer { try? FileManager.default.removeItem(at: bare) }
    try TorchCheckpointWriter.write(
      .dictionary(state.map { CheckpointEntry(key: .string($0.name), value: .tensor($0.tensor.stored())) }), to: bare)
    let (read, source) = try CheckpointLoading.readStateDict(at: bare, ema: false)
    #expect(source == "model_state_dict" && read.names == state.names)
    #expect(read["pred_head.bias"]?.doubles() == state["pred_head.bias"]?.doubles())
  }

  @Test func aCheckpointOfAnotherNetworkIsRefused() throws {
    let (state, _) = try CheckpointLoading.readStateDict(at: Self.url("trans_continuous_nepa"), ema: false)
    let other = Linear(3, 2)
    let error = #expect(throws: ModelConfigurationError.self) { try CheckpointLoading.load(state, into: other) }
    #expect(
      error?.message.contains("all 2 of its keys (weight, bias, …) are missing") == true, "\(error?.message ?? "")")
  }

  @Test func decoderGrowsToTheRepresentationVocabulary() throws {
    let (state, _) = try CheckpointLoading.readStateDict(at: Self.url("trans_discrete_decoder"), ema: false)
    var config = DecoderTransformerConfig(vocabSize: 64, padID: 61)
    (config.dModel, config.nHeads, config.dimFF, config.numLayers, config.maxSeqLen) = (32, 4, 64, 2, 32)
    let model = try DecoderTransformer(config)
    let report = try CheckpointLoading.load(state, into: model, representationVocabSize: 70)
    #expect(report.vocabularyResized?.from == 64 && report.vocabularyResized?.to == 70)
    #expect(model.config.vocabSize == 70)
    let embedding = model.stateDict()["token_emb.weight"]!
    #expect(embedding.shape == [70, 32])
    #expect(embedding.narrow(dim: 0, start: 0, length: 64).doubles() == state["token_emb.weight"]!.doubles())
    #expect(
      model.stateDict()["lm_head.weight"]!.narrow(dim: 0, start: 0, length: 64).doubles()
        == state["lm_head.weight"]!.doubles())
  }
}
