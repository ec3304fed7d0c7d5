import ECGCore
import ECGModels
import Foundation
import Testing
import Torch

/// Builder rules, configurations and behaviour of the MAE family and MERL beyond the fixtures.
@Suite struct MaskedAutoencoderUnitTests {
  /// models.md §2's examples of the patch-size rule P(n).
  @Test(arguments: [(2500, 100), (1250, 50), (500, 20), (5000, 200), (2250, 75), (1000, 40)])
  func patchSizeRule(_ example: (Int, Int)) {
    #expect(referencePatchSize(segmentLength: example.0) == example.1)
  }

  /// No divisor gives 16…64 patches: the divisor closest to ⌊√(n/32)⌋ (97 is prime: 1).
  @Test func patchSizeFallback() {
    #expect(referencePatchSize(segmentLength: 97) == 1)
    #expect(referencePatchSize(segmentLength: 10) == 1)
  }

  @Test func builderConfigurations() {
    #expect(MTAEConfig(segmentLength: 1250).patchSize == 50)
    #expect(STMEMConfig(segmentLength: 500).patchSize == 20)
    #expect(MLAEConfig(segmentLength: 1250).patchSize == 1)
    #expect(MLAEConfig(segmentLength: 1250).seqLen == 1250)
    #expect(MerlConfig(segmentLength: 1250).spacialDim == 79)
    #expect(MAEViTConfig(patchDim: 2500).dModel == 512)
  }

  /// Partial configuration files take the reference's defaults; MLAE's patch size defaults to 1.
  @Test func partialConfigurationsTakeDefaults() throws {
    let json = Data(#"{"seq_len": 500, "embed_dim": 64}"#.utf8)
    let mtae = try JSONDecoder().decode(MTAEConfig.self, from: json)
    #expect(mtae.patchSize == 75 && mtae.depth == 12 && mtae.embedDim == 64)
    let mlae = try JSONDecoder().decode(MLAEConfig.self, from: json)
    #expect(mlae.patchSize == 1 && mlae.seqLen == 500)
    let roundTrip = try JSONDecoder().decode(MTAEConfig.self, from: JSONEncoder().encode(mtae))
    #expect(roundTrip == mtae)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(MAEViTConfig.self, from: json) }
    var bad = MAEViTConfig(patchDim: 200)
    bad.decoderDModel = 256
    #expect(throws: ModelConfigError.self) { try bad.validate() }
  }

  /// The aliased patch embedding is one set of tensors: listed twice in the state_dict, once as parameters,
  /// and loading either name sets both.
  @Test func aliasedPatchEmbeddingSharesTensors() throws {
    var config = MTAEConfig(segmentLength: 200)
    (config.embedDim, config.depth, config.decoderEmbedDim, config.decoderDepth) = (32, 1, 16, 1)
    let model = MTAE(config: config)
    let state = model.stateDict()
    #expect(state["to_patch_embedding.2.weight"] === state["encoder.to_patch_embedding.2.weight"])
    #expect(!model.namedParameters().contains { $0.name.hasPrefix("to_patch_embedding.") })
    let replacement = Tensor.ones(state["to_patch_embedding.2.bias"]!.shape)
    try model.load(stateDict: StateDict([("to_patch_embedding.2.bias", replacement)]), strict: false)
    #expect(model.stateDict()["encoder.to_patch_embedding.2.bias"]!.floats().allSatisfy { $0 == 1 })
  }

  /// MTAE, MLAE and ST-MEM train on a `SignalBatch` (the reference's CLI cannot): a few AdamW steps on one batch
  /// lower the loss, and the frozen position tables stay put.
  @Test func maskedAutoencodersTrainOnSignalBatches() {
    var config = MTAEConfig(segmentLength: 200)
    (config.embedDim, config.depth, config.numHeads) = (32, 1, 2)
    (config.decoderEmbedDim, config.decoderDepth, config.decoderNumHeads) = (16, 1, 2)
    let batch = SignalBatch(signal: Tensor.linspace(-1, 1, steps: 2 * 12 * 200).reshape(2, 12, 200).sin())
    // The same masking noise at every call (replayed), so the losses compare one masking.
    func fixed(_ shape: [Int]) -> RandomDraws {
      RandomDraws(replaying: [Tensor.linspace(0, 1, steps: shape.reduce(1, *)).reshape(shape).flip([1])])
    }
    var lead = MLAEConfig(segmentLength: 200)
    lead.fields = config
    lead.patchSize = 1
    let mtae = MTAE(config: config)
    let mlae = MLAE(config: lead)
    let stmem = STMEM(config: config)
    let models: [(Module, () -> Tensor)] = [
      (mtae, { mtae(batch, maskRatio: 0.5, draws: fixed([2, 25])).loss }),
      (mlae, { mlae(batch, maskRatio: 0.5, draws: fixed([2, 12])).loss }),
      (stmem, { stmem(batch, maskRatio: 0.5, draws: fixed([2, 12, 25])).loss }),
    ]
    for (model, loss) in models {
      let table = model.stateDict()["decoder_pos_embed"]!.clone()
      let optimizer = Adam.adamW(model.trainableParameters(), learningRate: 1e-3)
      let first = loss().item()
      for _ in 0..<5 {
        model.zeroGrad()
        loss().backward()
        optimizer.step()
      }
      #expect(loss().item() < first)
      #expect(model.stateDict()["decoder_pos_embed"]!.doubles() == table.doubles())
    }
  }

  /// A ResNet-18 MERL (BasicBlock, 512 channels) builds, and its features are [B, 512].
  @Test func merlResNet18() throws {
    var config = MerlConfig(segmentLength: 500)
    (config.resnetType, config.inChannels, config.resnetWidths) = ("resnet18", 32, [8, 8, 16, 32])
    let model = try Merl(config: config, textModel: nil)
    model.eval()
    let features = withNoGrad { model.features(SignalBatch(signal: Tensor.zeros([2, 12, 500]))) }
    #expect(features.shape == [2, 32])
    #expect(model.stateDict().names.contains("resnet.layer2.0.shortcut.0.weight"))
    #expect(!model.stateDict().names.contains("resnet.layer1.0.shortcut.0.weight"))
  }
}
