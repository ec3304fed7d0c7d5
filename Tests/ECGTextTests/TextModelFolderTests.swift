import ECGCore
import ECGText
import Foundation
import Testing
import Torch

/// Model folders written here: complete ones load (safetensors or pytorch_model.bin), broken ones fail with a
/// message that names the problem.
@Suite struct TextModelFolderTests {
  /// A folder with `config.json` for the small test BERT and `vocab.txt`; weights are added per test.
  static func smallFolder(_ name: String, config: [String: Any]? = nil) throws -> URL {
    let url = try TestFolders.make(name)
    var json = config ?? BertModelTests.smallConfig
    if config == nil {
      json["model_type"] = "bert"
      json["architectures"] = ["BertModel"]
    }
    try JSONSerialization.data(withJSONObject: json).write(to: url.appendingPathComponent("config.json"))
    try (WordPieceTokenizerTests.vocabulary.joined(separator: "\n") + "\n").write(
      to: url.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
    return url
  }

  static func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch {
      return String(describing: error)
    }
  }

  @Test(arguments: ["model.safetensors", "pytorch_model.bin"])
  func folderLoadsFrozenModelAndTokenizer(_ weightsFile: String) throws {
    let url = try Self.smallFolder("complete")
    defer { try? FileManager.default.removeItem(at: url) }
    let source = try BertModelTests.smallModel(seed: 9)
    // The persistent position_ids of older transformers versions, as the MiniLM checkpoint carries it.
    var weights = source.stateDict()
    weights["embeddings.position_ids"] = Tensor.arange(0, 24).view(1, 24)
    if weightsFile == "model.safetensors" {
      try weights.save(safetensorsTo: url.appendingPathComponent(weightsFile))
    } else {
      try TorchSaveWriter.write(weights, to: url.appendingPathComponent(weightsFile))
    }
    let folder = try TextModelFolder(url)
    #expect(try folder.weightsURL().lastPathComponent == weightsFile)
    let model = try folder.loadModel()
    #expect(!model.isTraining)
    #expect(model.parameters().allSatisfy { !$0.requiresGrad })
    let tokenizer = try folder.loadTokenizer()
    let condition = tokenizer.encode(["sinus rhythm.", "unaffable"], maxLength: 8)
    #expect(condition.inputIDs.ints() == [2, 12, 13, 14, 3, 0, 0, 0, 2, 5, 6, 7, 3, 0, 0, 0])
    let got = model(condition)
    let want = source(condition)
    #expect(got.lastHiddenState.allClose(want.lastHiddenState))
    #expect(got.poolerOutput!.allClose(want.poolerOutput!))
  }

  @Test func checkpointWithoutPoolerBuildsModelWithoutIt() throws {
    let url = try Self.smallFolder("no-pooler")
    defer { try? FileManager.default.removeItem(at: url) }
    var weights = try BertModelTests.smallModel().stateDict()
    weights["pooler.dense.weight"] = nil
    weights["pooler.dense.bias"] = nil
    try weights.save(safetensorsTo: url.appendingPathComponent("model.safetensors"))
    let model = try TextModelFolder(url).loadModel()
    #expect(!model.hasPooler)
    #expect(model(inputIDs: Tensor([Int64(2), 3], shape: [1, 2])).poolerOutput == nil)
  }

  @Test func missingFolderAndFilesAreNamed() throws {
    let missing = Self.message { _ = try TextModelFolder(URL(fileURLWithPath: "/nonexistent/bert")) }
    #expect(missing.contains("/nonexistent/bert does not exist"))

    let empty = try TestFolders.make("empty")
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(Self.message { _ = try TextModelFolder(empty) }.contains("config.json"))
    #expect(Self.message { _ = try WordPieceTokenizer(folder: empty) }.contains("tokenizer.json or vocab.txt"))

    let noWeights = try Self.smallFolder("no-weights")
    defer { try? FileManager.default.removeItem(at: noWeights) }
    let message = Self.message { _ = try TextModelFolder(noWeights).loadModel() }
    #expect(message.contains("model.safetensors or pytorch_model.bin"), "\(message)")
  }

  @Test func nonBertAndUnreadableConfigurationsAreRefused() throws {
    let gpt = try Self.smallFolder("gpt", config: ["model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]])
    defer { try? FileManager.default.removeItem(at: gpt) }
    let refused = Self.message { _ = try TextModelFolder(gpt) }
    #expect(refused.contains("model_type 'gpt2' is not BERT"), "\(refused)")

    let broken = try Self.smallFolder("broken")
    defer { try? FileManager.default.removeItem(at: broken) }
    try "{ not json".write(to: broken.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
    #expect(Self.message { _ = try TextModelFolder(broken) }.contains("is not a valid model configuration"))
  }

  @Test func misShapedOrMissingWeightsAreNamed() throws {
    let url = try Self.smallFolder("wrong-shapes")
    defer { try? FileManager.default.removeItem(at: url) }
    var weights = try BertModelTests.smallModel().stateDict()
    weights["embeddings.word_embeddings.weight"] = Tensor.zeros([51, 16])
    weights["encoder.layer.1.attention.self.key.bias"] = nil
    try weights.save(safetensorsTo: url.appendingPathComponent("model.safetensors"))
    let message = Self.message { _ = try TextModelFolder(url).loadModel() }
    #expect(message.contains("size mismatch for embeddings.word_embeddings.weight"), "\(message)")
    #expect(message.contains("[51, 16]"))
    #expect(message.contains("missing keys: encoder.layer.1.attention.self.key.bias"), "\(message)")
  }

  @Test func tokenizerFilesOtherThanBertWordPieceAreRefused() throws {
    let url = try TestFolders.make("bpe")
    defer { try? FileManager.default.removeItem(at: url) }
    let bpe: [String: Any] = ["model": ["type": "BPE", "vocab": ["a": 0], "merges": []]]
    try JSONSerialization.data(withJSONObject: bpe).write(to: url.appendingPathComponent("tokenizer.json"))
    #expect(Self.message { _ = try WordPieceTokenizer(folder: url) }.contains("not WordPiece"))

    let normalizer: [String: Any] = [
      "model": ["type": "WordPiece", "vocab": ["[UNK]": 0, "[PAD]": 1], "unk_token": "[UNK]"],
      "normalizer": ["type": "NFKC"],
    ]
    try JSONSerialization.data(withJSONObject: normalizer).write(to: url.appendingPathComponent("tokenizer.json"))
    #expect(Self.message { _ = try WordPieceTokenizer(folder: url) }.contains("is not BertNormalizer"))

    try "{".write(to: url.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8)
    #expect(Self.message { _ = try WordPieceTokenizer(folder: url) }.contains("is not valid JSON"))
  }
}
