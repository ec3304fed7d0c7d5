import ArgumentParser
import ECGText
import Foundation
import Torch

/// `ecg text inspect`: what a Hugging Face BERT folder holds, as JSON.
struct TextInspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract:
      "Summarise a Hugging Face BERT folder as JSON: architecture, sizes, weights, parameter count and tokenizer.",
    discussion: "Loads the weights and the tokenizer, so a folder that inspects cleanly also embeds.")

  @Argument(help: "Hugging Face BERT folder (default: $ECG_TEXT_MODEL, else the all-MiniLM-L6-v2 of make setup).")
  var folder: String?

  func run() throws {
    let folder = try TextModelInput.folder(self.folder)
    let (tokenizer, model) = try TextEmbedCommand.load(folder, device: .cpu)
    let c = folder.configuration
    let weights = try folder.weightsURL()
    let stored = try folder.loadWeights()
    let dtypes = Set(stored.map { $0.tensor.dtype.description }).sorted()
    let special = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"].reduce(into: [String: Int]()) { ids, name in
      if let token = tokenizer.addedTokens.first(where: { $0.content == name }) { ids[name] = token.id }
    }
    var tokenizerSummary: [String: Any] = [
      "file": FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("tokenizer.json").path)
        ? "tokenizer.json" : "vocab.txt",
      "vocabulary_size": tokenizer.vocabularySize,
      "special_tokens": special,
      "pad_id": tokenizer.padID,
    ]
    if let normalizer = tokenizer.normalizer {
      tokenizerSummary["lowercase"] = normalizer.lowercase
      tokenizerSummary["strip_accents"] = normalizer.stripsAccents
      tokenizerSummary["handle_chinese_chars"] = normalizer.handleChineseChars
    }
    let summary: [String: Any] = [
      "folder": folder.url.path,
      "model_type": c.modelType ?? "bert",
      "architectures": c.architectures ?? [],
      "hidden_size": c.hiddenSize,
      "num_hidden_layers": c.numHiddenLayers,
      "num_attention_heads": c.numAttentionHeads,
      "intermediate_size": c.intermediateSize,
      "max_position_embeddings": c.maxPositionEmbeddings,
      "vocab_size": c.vocabSize,
      "type_vocab_size": c.typeVocabSize,
      "hidden_act": c.hiddenAct,
      "layer_norm_eps": c.layerNormEps,
      "pooler": model.hasPooler,
      "parameter_count": model.parameterCount(),
      "weights": ["file": weights.lastPathComponent, "entries": stored.count, "dtypes": dtypes],
      "tokenizer": tokenizerSummary,
    ]
    let data = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
  }
}
