import Foundation
import Testing
import Torch
import TorchTestSupport

/// A small tree shaped like the reference's modules, to check PyTorch's naming and ordering rules.
private final class Block: Module {
  @Child("self_attn") var selfAttention = MultiheadAttention(embedDim: 8, heads: 2)
  @Child("ff") var feedForward = Sequential(Linear(8, 16), GELU(), Linear(16, 8))
  @Child("adaLN_modulation") var modulation = Sequential(SiLU(), Linear(8, 16))
  @Child("norm") var norm: LayerNorm? = nil
}

private final class TinyModel: Module {
  @Parameter("pos") var position: Tensor
  @Buffer("alphas_cumprod") var alphas: Tensor
  @Buffer("cache", persistent: false) var cache: Tensor
  @Child("token_emb") var tokens = Embedding(10, 8, paddingIndex: 0)
  @Child("layers") var layers = ModuleList([Block(), Block()])
  @Child("bn") var batchNorm = BatchNorm1d(8)
  @Child("lm_head") var head = Linear(8, 10, bias: false)

  override init() {
    super.init()
    position = Tensor.zeros([1, 8])
    alphas = Tensor.linspace(1, 0.1, steps: 4)
    cache = Tensor.zeros([2])
  }
}

@Suite struct ModuleTests {
  @Test func stateDictNamesFollowPyTorch() {
    let model = TinyModel()
    let block = [
      "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
      "ff.0.weight", "ff.0.bias", "ff.2.weight", "ff.2.bias", "adaLN_modulation.1.weight", "adaLN_modulation.1.bias",
    ]
    let expected =
      ["pos", "alphas_cumprod", "token_emb.weight"] + block.map { "layers.0.\($0)" } + block.map { "layers.1.\($0)" }
      + ["bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked", "lm_head.weight"]
    #expect(model.stateDict().names == expected)
    #expect(
      model.namedParameters().map(\.name)
        == expected.filter {
          !["alphas_cumprod", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"].contains($0)
        })
    #expect(
      model.namedBuffers().map(\.name) == [
        "alphas_cumprod", "cache", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
      ])
    #expect(model.namedModules().map(\.name).prefix(4) == ["", "token_emb", "layers", "layers.0"])
  }

  @Test func parameterCountsAndFreezing() {
    let model = TinyModel()
    let perBlock = 3 * 8 * 8 + 3 * 8 + 8 * 8 + 8 + (8 * 16 + 16 + 16 * 8 + 8) + (8 * 16 + 16)
    let total = 8 + 10 * 8 + 2 * perBlock + 16 + 10 * 8
    #expect(model.parameterCount() == total)
    model.tokens.freeze()
    #expect(model.parameterCount(trainableOnly: true) == total - 80)
    #expect(!model.tokens.weight.requiresGrad)
    #expect(model.trainableParameters().allSatisfy { $0.name != "token_emb.weight" })
  }

  @Test func trainAndEvalPropagate() {
    let model = TinyModel()
    #expect(model.layers[1].feedForward.isTraining)
    model.eval()
    #expect(model.namedModules().allSatisfy { !$0.module.isTraining })
    model.train()
    #expect(model.batchNorm.isTraining)
  }

  @Test func movingToAnotherDTypeKeepsParametersTrainable() {
    let model = TinyModel()
    model.to(dtype: .float64)
    #expect(model.head.weight.dtype == .float64)
    #expect(model.head.weight.requiresGrad && model.head.weight.isLeaf)
    #expect(model.batchNorm.batchesTracked?.dtype == .int64)
    #expect(model.alphas.dtype == .float64)
  }

  @Test func zeroGradClearsGradients() {
    let model = TinyModel()
    model.head(Tensor.ones([1, 8])).sum().backward()
    #expect(model.head.weight.grad != nil)
    model.zeroGrad()
    #expect(model.head.weight.grad == nil)
  }

  @Test func loadRoundTripsAndStrictModeReportsByName() throws {
    let source = TinyModel()
    let target = TinyModel()
    try target.load(stateDict: source.stateDict())
    #expect(target.head.weight.allClose(source.head.weight, rtol: 0, atol: 0))
    #expect(target.alphas.allClose(source.alphas))

    var broken = source.stateDict()
    broken["lm_head.weight"] = nil
    broken["extra.weight"] = Tensor.zeros([1])
    broken["pos"] = Tensor.zeros([2, 8])
    do {
      try target.load(stateDict: broken)
      Issue.record("strict load accepted a broken state dict")
    } catch let error as StateDictMismatch {
      #expect(error.report.missing == ["lm_head.weight"])
      #expect(error.report.unexpected == ["extra.weight"])
      #expect(error.report.shapeMismatches == [.init(name: "pos", expected: [1, 8], found: [2, 8])])
      #expect(error.description.contains("size mismatch for pos"))
    }
    let report = try target.load(stateDict: broken, strict: false)
    #expect(
      report.missing == ["lm_head.weight"] && report.unexpected == ["extra.weight"] && report.shapeMismatches.count == 1
    )
  }

  @Test func safetensorsRoundTrip() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("module-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = TinyModel()
    let url = folder.appendingPathComponent("model.safetensors")
    try source.stateDict().save(safetensorsTo: url, metadata: ["format": "pt"])
    let target = TinyModel()
    try target.load(safetensorsAt: url)
    for ((name, a), (_, b)) in zip(source.stateDict(), target.stateDict()) {
      #expect(a.allClose(b, rtol: 0, atol: 0), "\(name)")
    }
  }

  @Test func defaultInitialisationMatchesPyTorchBounds() {
    let linear = Linear(64, 32)
    let bound = 1 / 8.0
    #expect(linear.weight.abs().max().item() <= bound)
    #expect(linear.bias!.abs().max().item() <= bound)
    let embedding = Embedding(100, 16, paddingIndex: 3)
    #expect(embedding.weight[3].doubles() == Array(repeating: 0, count: 16))
    let t = Tensor.empty([10_000])
    Init.truncatedNormal(t, std: 0.02, low: -0.04, high: 0.04)
    #expect(t.abs().max().item() <= 0.04)
    #expect(Swift.abs(t.std().item() - 0.0176) < 0.002)
    let w = Tensor.empty([30, 20])
    Init.xavierUniform(w)
    #expect(w.abs().max().item() <= (6.0 / 50).squareRoot())
  }

  @Test func layersComputeWhatPyTorchDoes() {
    let norm = LayerNorm(4, elementwiseAffine: false)
    #expect(norm.stateDict().count == 0)
    expectClose(
      norm(Tensor([1, 2, 3, 4] as [Float], shape: [1, 4])).doubles(), [-1.3416, -0.4472, 0.4472, 1.3416], atol: 1e-4)
    let dropout = Dropout(0.5)
    dropout.eval()
    #expect(dropout(Tensor.ones([8])).floats() == Array(repeating: 1, count: 8))
    #expect(AdaptiveAvgPool1d(1)(Tensor([1, 3] as [Float], shape: [1, 1, 2])).floats() == [2])
    let attention = MultiheadAttention(embedDim: 8, heads: 2)
    let x = Tensor.randn([2, 5, 8])
    let causal = attention(x, isCausal: true)
    let explicit = attention(x, attentionMask: Tensor.ones([5, 5], dtype: .bool).triu(1))
    #expect(causal.allClose(explicit, atol: 1e-6))
    let (_, weights) = attention(query: x, key: x, value: x, needWeights: true)
    #expect(weights!.shape == [2, 5, 5])
    expectClose(weights!.sum(dim: -1).doubles(), Array(repeating: 1, count: 10), atol: 1e-5)
  }
}
