import ECGCore
import ECGText
import Foundation
import Testing
import Torch

@Suite struct BertModelTests {
  /// A tiny BertConfig dict, as fixture configs embed it.
  static var smallConfig: [String: Any] {
    [
      "vocab_size": 50, "hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 32,
      "max_position_embeddings": 24, "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12,
      "pad_token_id": 0, "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
    ]
  }

  static func smallModel(seed: UInt64 = 3) throws -> BertModel {
    let model = try BertModel(BertConfiguration(dictionary: smallConfig))
    Torch.manualSeed(seed)
    model.initializeWeights()
    model.eval()
    model.freeze()
    return model
  }

  @Test func configurationReadsHuggingFaceNamesWithDefaults() throws {
    let config = try BertConfiguration(dictionary: [
      "hidden_size": 64, "num_attention_heads": 4, "pad_token_id": NSNull(),
    ])
    #expect(config.hiddenSize == 64)
    #expect(config.numAttentionHeads == 4)
    #expect(config.vocabSize == 30522)
    #expect(config.layerNormEps == 1e-12)
    #expect(config.padTokenID == 0)
    let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any]
    #expect(encoded?["hidden_size"] as? Int == 64)
    #expect(encoded?["max_position_embeddings"] as? Int == 512)
  }

  @Test func stateDictHasHuggingFaceNames() throws {
    let model = try BertModel(BertConfiguration(dictionary: Self.smallConfig))
    let names = model.stateDict().names
    #expect(names.first == "embeddings.word_embeddings.weight")
    for name in [
      "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
      "embeddings.LayerNorm.weight", "encoder.layer.0.attention.self.query.weight",
      "encoder.layer.0.attention.self.value.bias", "encoder.layer.0.attention.output.dense.weight",
      "encoder.layer.0.attention.output.LayerNorm.weight", "encoder.layer.0.intermediate.dense.weight",
      "encoder.layer.1.output.dense.weight", "encoder.layer.1.output.LayerNorm.bias", "pooler.dense.weight",
    ] {
      #expect(names.contains(name), "\(name)")
    }
    #expect(names.count == 5 + 2 * 16 + 2)
    #expect(model.stateDict()["encoder.layer.0.intermediate.dense.weight"]?.shape == [32, 16])
    // position_ids is a non-persistent buffer, as in recent transformers.
    #expect(!names.contains("embeddings.position_ids"))
    #expect(model.namedBuffers().map(\.name).contains("embeddings.position_ids"))
    let noPooler = try BertModel(BertConfiguration(dictionary: Self.smallConfig), addPoolingLayer: false)
    #expect(!noPooler.stateDict().names.contains("pooler.dense.weight"))
    #expect(noPooler(inputIDs: Tensor([Int64(1), 2], shape: [1, 2])).poolerOutput == nil)
  }

  /// Exact streams of the process-wide generator run in a child process (other suites draw concurrently).
  @Test func constructionDrawsNothingFromTheGlobalGenerator() async {
    await #expect(processExitsWith: .success) {
      Torch.manualSeed(11)
      let expected = Tensor.randn([4]).floats()
      Torch.manualSeed(11)
      _ = try? BertModel(BertConfiguration(dictionary: BertModelTests.smallConfig))
      precondition(Tensor.randn([4]).floats() == expected, "constructing a BertModel drew random numbers")
    }
  }

  @Test func smallModelRunsWithShapesAndPooler() throws {
    let model = try Self.smallModel()
    let ids = Tensor([Int64(2), 7, 9, 3, 0, 0, 2, 5, 3, 0, 0, 0], shape: [2, 6])
    let mask = ids.ne(0).to(.int64)
    let out = model(inputIDs: ids, attentionMask: mask, tokenTypeIDs: Tensor.zeros([2, 6], dtype: .int64))
    #expect(out.lastHiddenState.shape == [2, 6, 16])
    let pooled = try #require(out.poolerOutput)
    #expect(pooled.shape == [2, 16])
    #expect(!out.lastHiddenState.requiresGrad)
    // The pooler is tanh(dense(h[:, 0])): every value inside (-1, 1) and not all zero after initialisation.
    #expect(pooled.abs().max().item() < 1)
    #expect(pooled.abs().max().item() > 0)
    // The default token types are zeros, and a missing mask attends everywhere.
    let unmasked = model(inputIDs: ids, attentionMask: Tensor.ones([2, 6], dtype: .int64))
    #expect(model(inputIDs: ids).lastHiddenState.allClose(unmasked.lastHiddenState))
  }

  @Test func paddingDoesNotChangeRealTokens() throws {
    let model = try Self.smallModel()
    let short = Tensor([Int64(2), 11, 12, 3], shape: [1, 4])
    let padded = Tensor([Int64(2), 11, 12, 3, 0, 0, 0], shape: [1, 7])
    let paddedMask = Tensor([Int64(1), 1, 1, 1, 0, 0, 0], shape: [1, 7])
    let a = model(inputIDs: short)
    let b = model(inputIDs: padded, attentionMask: paddedMask)
    #expect(b.lastHiddenState.slice(dim: 1, end: 4).allClose(a.lastHiddenState, rtol: 1e-4, atol: 1e-5))
    #expect(b.poolerOutput!.allClose(a.poolerOutput!, rtol: 1e-4, atol: 1e-5))
    #expect(b.meanPooled().allClose(a.meanPooled(), rtol: 1e-4, atol: 1e-5))
    // Without the mask the padding is attended to and the [CLS] state moves.
    let c = model(inputIDs: padded)
    #expect(!c.poolerOutput!.allClose(a.poolerOutput!, rtol: 1e-4, atol: 1e-5))
  }

  @Test func meanPoolingAveragesMaskedTokens() {
    let hidden = Tensor([Float(1), 2, 3, 4, 100, 200], shape: [1, 3, 2])
    let mask = Tensor([Int64(1), 1, 0], shape: [1, 3])
    let output = BertOutput(lastHiddenState: hidden, poolerOutput: nil, attentionMask: mask)
    #expect(output.meanPooled().floats() == [2, 3])
    let normalized = output.meanPooled(normalized: true).floats()
    #expect(Swift.abs(normalized[0] - 2 / Float(13).squareRoot()) < 1e-6)
    let empty = BertOutput(
      lastHiddenState: hidden, poolerOutput: nil, attentionMask: Tensor.zeros([1, 3], dtype: .int64))
    #expect(empty.meanPooled().floats() == [0, 0])
  }

  @Test func takesATextCondition() throws {
    let model = try Self.smallModel()
    let tokens = [
      TextTokens(inputIDs: [2, 5, 3, 0], attentionMask: [1, 1, 1, 0], tokenTypeIDs: [0, 0, 0, 0]),
      TextTokens(inputIDs: [2, 6, 7, 3], attentionMask: [1, 1, 1, 1], tokenTypeIDs: [0, 0, 0, 0]),
    ]
    let condition = TextCondition(stacking: tokens)
    let out = model(condition)
    let direct = model(
      inputIDs: condition.inputIDs, attentionMask: condition.attentionMask, tokenTypeIDs: condition.tokenTypeIDs)
    #expect(out.lastHiddenState.allClose(direct.lastHiddenState))
  }

  @Test func weightsRoundTripWithPrefixAndLegacyNames() throws {
    let source = try Self.smallModel(seed: 5)
    var saved = StateDict(source.stateDict().map { ("bert." + $0.name, $0.tensor) })
    // A masked-LM head, the persistent position_ids of older transformers, and TensorFlow-era LayerNorm names.
    saved["cls.predictions.bias"] = Tensor.zeros([50])
    saved["bert.embeddings.position_ids"] = Tensor.arange(0, 24).view(1, 24)
    let gamma = try #require(saved["bert.embeddings.LayerNorm.weight"])
    saved["bert.embeddings.LayerNorm.weight"] = nil
    saved["bert.embeddings.LayerNorm.gamma"] = gamma
    let target = try BertModel(BertConfiguration(dictionary: Self.smallConfig))
    try target.load(bertStateDict: saved)
    for (name, tensor) in source.stateDict() {
      #expect(target.stateDict()[name]?.allClose(tensor) == true, "\(name)")
    }
  }

  @Test func misShapedAndMissingWeightsAreNamed() throws {
    let model = try BertModel(BertConfiguration(dictionary: Self.smallConfig))
    var weights = model.stateDict()
    weights["encoder.layer.1.intermediate.dense.weight"] = Tensor.zeros([33, 16])
    weights["pooler.dense.bias"] = nil
    weights["encoder.layer.7.output.dense.weight"] = Tensor.zeros([16, 32])
    let error = #expect(throws: TextModelError.self) { try model.load(bertStateDict: weights) }
    let message = error.map(String.init(describing:)) ?? ""
    #expect(message.contains("encoder.layer.1.intermediate.dense.weight"))
    #expect(message.contains("[33, 16]"))
    #expect(message.contains("pooler.dense.bias"))
    #expect(message.contains("encoder.layer.7.output.dense.weight"))
  }

  @Test func unsupportedConfigurationsAreRefused() throws {
    let cases: [([String: Any], String)] = [
      (["model_type": "roberta"], "model_type 'roberta' is not BERT"),
      (["architectures": ["GPT2LMHeadModel"]], "not BERT"),
      (["hidden_act": "mish"], "hidden_act 'mish'"),
      (["position_embedding_type": "relative_key"], "relative_key"),
      (["hidden_size": 30, "num_attention_heads": 4], "not a multiple"),
      (["hidden_size": "wide"], "cannot be read"),
    ]
    for (dict, expected) in cases {
      let error = #expect(throws: TextModelError.self) { _ = try BertModel(BertConfiguration(dictionary: dict)) }
      let message = error.map(String.init(describing:)) ?? ""
      #expect(message.contains(expected), "\(dict): \(message)")
    }
    // BERT head models are BERT.
    #expect(throws: Never.self) {
      try BertConfiguration(dictionary: ["model_type": "bert", "architectures": ["BertForMaskedLM"]]).validate()
    }
  }
}
