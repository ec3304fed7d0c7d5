import ECGCore
import ECGModels
import ECGText
import Foundation
import Testing
import Torch

/// Behaviour the fixtures do not pin: our differences from the reference and user errors (models.md §2–§6).
@Suite struct TransformerBehaviourTests {
  static func smallDecoder() throws -> DecoderTransformer {
    var config = DecoderTransformerConfig(vocabSize: 20, padID: 17)
    (config.dModel, config.nHeads, config.dimFF, config.numLayers, config.maxSeqLen, config.dropout) = (
      16, 2, 32, 2, 12, 0
    )
    return try DecoderTransformer(config)
  }

  /// The reference gives NaN for every position of a left-padded row in eval mode under no grad (§1.2);
  /// fully masked query rows attend to nothing here, so the outputs stay finite.
  @Test func leftPaddedRowsAreFiniteInEvalMode() throws {
    let decoder = try Self.smallDecoder()
    decoder.eval()
    let ids = Tensor([17, 17, 3, 4, 5, 1, 2, 3, 4, 5] as [Int64], shape: [2, 5])
    let out = withNoGrad { decoder(ids) }
    #expect(out.logits.isFinite().all().item() == 1)
    let generated = decoder.generate(ids, maxNewTokens: 2)
    #expect(generated.logits!.isFinite().all().item() == 1)
    #expect(generated.tokens.shape == [2, 7])
  }

  @Test func generationWithoutStepsReturnsEmptyLogits() throws {
    let decoder = try Self.smallDecoder()
    let ids = Tensor(Array(repeating: 1 as Int64, count: 12), shape: [1, 12])
    let generated = decoder.generate(ids, maxNewTokens: 3, returnNewOnly: true)
    #expect(generated.tokens.shape == [1, 0])
    #expect(generated.logits?.shape == [1, 0, 20])
  }

  @Test func resizeKeepsOldRowsAndThePadIndex() throws {
    let decoder = try Self.smallDecoder()
    let before = decoder.stateDict()
    try decoder.resizeEmbeddings(25)
    let after = decoder.stateDict()
    #expect(decoder.config.vocabSize == 25)
    #expect(after["token_emb.weight"]!.shape == [25, 16] && after["lm_head.weight"]!.shape == [25, 16])
    #expect(
      after["token_emb.weight"]!.narrow(dim: 0, start: 0, length: 20).doubles() == before["token_emb.weight"]!.doubles()
    )
    #expect(
      after["lm_head.weight"]!.narrow(dim: 0, start: 0, length: 20).doubles() == before["lm_head.weight"]!.doubles())
    #expect(decoder.trainableParameters().map(\.name) == before.names)
    #expect(throws: ModelConfigurationError.self) { try decoder.resizeEmbeddings(10) }
  }

  static func smallDiT(_ lossType: String, condition: String? = nil) throws -> DiT {
    var config = DiTConfig()
    (config.dModel, config.nHeads, config.dimFF, config.numLayers, config.maxSeqLen) = (16, 2, 32, 1, 32)
    config.lossType = lossType
    config.numSteps = lossType == "ddpm" ? 20 : 4
    config.condition = condition
    config.inputDim = condition == "lead" ? 7 : 12
    config.dropout = 0
    return try DiT(config)
  }

  /// A step count below one was a range trap in the Euler loop.
  @Test func rectifiedFlowSamplingRefusesFewerThanOneStep() throws {
    let dit = try Self.smallDiT("rectified_flow")
    for steps in [0, -3] {
      #expect(throws: ModelConfigurationError.self) { try dit.sample(batchSize: 1, length: 8, numSteps: steps) }
    }
  }

  @Test func ddpmSamplingRefusesAnotherStepCount() throws {
    let dit = try Self.smallDiT("ddpm")
    #expect(throws: ModelConfigurationError.self) { try dit.sample(batchSize: 1, length: 8, numSteps: 5) }
    let samples = try dit.sample(batchSize: 1, length: 8)
    #expect(samples.shape == [1, 12, 8])
    // The [0, 1] clamp of x̂0 (M4) can be turned off for data that is not min-max normalised.
    let noise = (0..<20).map { _ in Tensor.randn([1, 8, 12]) * 3 }
    let clamped = try dit.sample(batchSize: 1, length: 8, draws: RandomDraws(replaying: noise))
    let free = try dit.sample(batchSize: 1, length: 8, clampX0: false, draws: RandomDraws(replaying: noise))
    #expect(!clamped.allClose(free))
  }

  /// Guidance is honoured: with a trained-looking (non-zero) null embedding, scale 3 differs from scale 1.
  @Test func guidanceScaleChangesLeadConditionedSamples() throws {
    let dit = try Self.smallDiT("rectified_flow", condition: "lead")
    withNoGrad {
      for (_, p) in dit.namedParameters() { p.copy(from: Tensor.randn(p.shape) * 0.1) }
    }
    dit.eval()
    let lead = Tensor.randn([2, 8])
    let noise = Tensor.randn([2, 8, 7])
    let plain = try dit.sample(batchSize: 2, length: 8, condition: .lead(lead), draws: RandomDraws(replaying: [noise]))
    let guided = try dit.sample(
      batchSize: 2, length: 8, condition: .lead(lead), cfgScale: 3, draws: RandomDraws(replaying: [noise]))
    #expect(!plain.allClose(guided))
  }

  @Test func builderRejectsUnknownNetworksAndObjectives() {
    #expect(throws: ModelConfigurationError.self) {
      try NetworkBuilder.build(BuilderFlags(neuralNetwork: "trans_continuous_dit", objective: "autoregressive"))
    }
    #expect(throws: ModelConfigurationError.self) { try NetworkBuilder.build(BuilderFlags(neuralNetwork: "resnet")) }
    #expect(throws: ModelConfigurationError.self) {
      try NetworkBuilder.build(BuilderFlags(neuralNetwork: "trans_discrete_decoder", objective: "autoregressive"))
    }
  }

  @Test func decoderCheckpointSmallerThanTheTokenizerNamesBoth() throws {
    var flags = BuilderFlags(neuralNetwork: "trans_discrete_decoder", objective: "autoregressive")
    flags.vocabSize = 10_257
    flags.padID = 10_256
    do {
      _ = try NetworkBuilder.decoderConfig(flags, checkpointVocabSize: 279)
      Issue.record("a 279-token checkpoint cannot hold pad id 10256")
    } catch let error as ModelConfigurationError {
      #expect("\(error)".contains("279-token vocabulary"))
      #expect("\(error)".contains("10257 tokens"))
      #expect("\(error)".contains("--bpe_tokenizer_path"))
    }
    // A checkpoint grown beyond the tokenizer (the reference resizes after loading) still builds.
    #expect(try NetworkBuilder.decoderConfig(flags, checkpointVocabSize: 10_300).vocabSize == 10_300)
  }

  @Test func builderHonoursConditionDropout() throws {
    var flags = BuilderFlags(neuralNetwork: "trans_continuous_dit", objective: "ddpm", condition: "lead")
    flags.conditionDropout = 0.3
    let config = try NetworkBuilder.ditConfig(flags)
    #expect(config.conditionDropout == 0.3 && config.inputDim == 7 && config.numSteps == 1000)
  }

  @Test func nepaFeaturesAverageValidPositions() throws {
    var config = NEPAConfig()
    (config.dModel, config.nHeads, config.dimFF, config.numLayers, config.maxSeqLen) = (16, 2, 32, 1, 32)
    let nepa = try NEPA(config)
    nepa.eval()
    let signal = Tensor.randn([2, 12, 10])
    let mask = Tensor.zeros([2, 10], dtype: .bool)
    mask.fill(at: 1, 6..., with: 1)
    let features = nepa.features(signal, paddingMask: mask)
    let hidden = nepa.encode(signal, paddingMask: mask)
    #expect(features.shape == [2, 16])
    #expect(features[1].allClose(hidden[1].narrow(dim: 0, start: 0, length: 6).mean(dim: 0), atol: 1e-6))
  }

  /// `--condition text --text_feature_extractor <folder>` builds DiT around the folder's frozen BERT (the
  /// all-MiniLM-L6-v2 folder of `make setup`, or `ECG_TEXT_MODEL`); a missing folder is a user error.
  @Test func textConditionedDiTFromAHuggingFaceFolder() throws {
    let url = TextModelFolder.defaultURL
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
      Issue.record("no text model at \(url.path): run `make setup`, or set ECG_TEXT_MODEL to a BERT folder")
      return
    }
    var flags = BuilderFlags(neuralNetwork: "trans_continuous_dit", objective: "rectified_flow", condition: "text")
    flags.textFeatureExtractor = url.path
    let dit = try NetworkBuilder.build(flags).network as! DiT
    let frozen = dit.namedParameters().filter { $0.name.hasPrefix("condition_embedder.text_feature_extractor.") }
    #expect(!frozen.isEmpty && frozen.allSatisfy { !$0.tensor.requiresGrad })
    #expect(dit.stateDict().names.last == "condition_embedder.proj.bias")
    let folder = try TextModelFolder(url)
    let tokens = try folder.loadTokenizer().encode("sinus rhythm, normal ecg", maxLength: 16)
    let text = TextCondition(stacking: [tokens])
    let hidden = try #require(dit.textLastHiddenState(text))
    #expect(hidden.shape == [1, 16, folder.configuration.hiddenSize])
    flags.textFeatureExtractor = "/nonexistent/model"
    #expect(throws: ModelConfigurationError.self) { try NetworkBuilder.build(flags) }
  }

  /// `--bfloat_16 --signal_head`: the reference fails on the float32 signal (M11); the head casts its inputs.
  @Test func bfloat16SignalHeadTrains() throws {
    var flags = BuilderFlags(neuralNetwork: "trans_discrete_decoder", objective: "autoregressive")
    (flags.vocabSize, flags.padID, flags.bpeSymbolicLen, flags.segmentLen) = (20, 17, 12, 16)
    (flags.signalHead, flags.bfloat16, flags.signalHeadLayers) = (true, true, 1)
    let built = try NetworkBuilder.build(flags)
    #expect(built.findUnusedParameters)
    let wrapper = try #require(built.network as? DecoderWithSignalHead)
    #expect(wrapper.parameters().allSatisfy { $0.dtype == .bfloat16 })
    let ids = Tensor([17, 18, 3, 4, 5, 19, 18, 1, 2, 3, 4, 19] as [Int64], shape: [2, 6])
    let batch = TokenBatch(tgtIDs: ids, labels: ids, signal: Tensor.randn([2, 12, 16]))
    let loss = wrapper.trainingLoss(.tokens(batch), draws: RandomDraws())
    #expect(loss.dtype == .bfloat16 && loss.isFinite().item() == 1)
    loss.backward()
    #expect(wrapper.trainableParameters().allSatisfy { $0.tensor.grad != nil })
  }
}
