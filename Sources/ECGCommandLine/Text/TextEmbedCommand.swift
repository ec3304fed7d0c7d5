import ArgumentParser
import ECGCore
import ECGText
import Foundation
import TensorFormats
import Torch

/// `ecg text embed`: one JSON line per input line, with its tokens and its embedding.
struct TextEmbedCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "embed",
    abstract: "Embed report texts (one per line) and print one JSON line per text: its tokens and its embedding.",
    discussion: """
      Each line is tokenised as transformers does with padding="max_length", max_length=N, truncation=True, and run \
      through the frozen BERT in evaluation mode. The embedding is the attention-masked mean of the last hidden \
      state (--pooling mean, the sentence-transformers pooling), or the pooler output tanh(dense([CLS])) \
      (--pooling pooler, what MERL uses); --normalize divides it by its L2 norm. Output fields: text, tokens \
      (without padding), input_ids (without padding), embedding.
      """)

  enum Pooling: String, ExpressibleByArgument, CaseIterable {
    case mean
    case pooler
  }

  @Option(help: "Hugging Face BERT folder (default: $ECG_TEXT_MODEL, else the all-MiniLM-L6-v2 of make setup).")
  var model: String?

  @Option(
    name: .customLong("max-length"), parsing: .unconditional, help: "Positions per text: truncation and padding length."
  )
  var maxLength: Int = 128

  @Option(help: "Input file with one text per line (default: standard input).")
  var input: String?

  @Option(help: "How a text's vector is made from the encoder's outputs.")
  var pooling: Pooling = .mean

  @Flag(help: "Divide each embedding by its L2 norm.")
  var normalize = false

  @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Texts per forward pass.")
  var batchSize: Int = 64

  @OptionGroup var device: DeviceOption

  func validate() throws {
    if maxLength < 2 { throw ValidationError("--max-length must be at least 2 ([CLS] and [SEP])") }
    if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
  }

  func run() throws {
    let folder = try TextModelInput.folder(model)
    let limit = folder.configuration.maxPositionEmbeddings
    guard maxLength <= limit else {
      throw CommandError("--max-length \(maxLength) exceeds the model's max_position_embeddings \(limit)")
    }
    let target = try device.resolved()
    let texts = try TextModelInput.lines(input)
    let (tokenizer, encoder) = try Self.load(folder, device: target)
    if pooling == .pooler && !encoder.hasPooler {
      throw CommandError("the model in \(folder.url.path) has no pooling layer; use --pooling mean")
    }
    Self.embed(
      texts, tokenizer: tokenizer, encoder: encoder, maxLength: maxLength, pooling: pooling, normalize: normalize,
      batchSize: batchSize
    ) { print($0) }
  }

  /// Embeds `texts` batch by batch and hands each text's JSON line to `emit`, in input order.
  static func embed(
    _ texts: [String], tokenizer: WordPieceTokenizer, encoder: BertModel, maxLength: Int, pooling: Pooling,
    normalize: Bool, batchSize: Int, emit: (String) -> Void
  ) {
    for start in stride(from: 0, to: texts.count, by: batchSize) {
      let batch = Array(texts[start..<min(start + batchSize, texts.count)])
      let tokens = batch.map { tokenizer.encode($0, maxLength: maxLength) }
      let output = withNoGrad { encoder(TextCondition(stacking: tokens)) }
      let pooled: Tensor
      switch pooling {
      case .mean: pooled = output.meanPooled(normalized: normalize)
      case .pooler:
        let vector = output.poolerOutput!
        pooled = normalize ? Functional.normalize(vector, p: 2, dim: 1) : vector
      }
      let vectors = pooled.to(device: .cpu).floats()  // one device-to-host copy per batch
      let width = pooled.size(1)
      for (row, (text, encoded)) in zip(batch, tokens).enumerated() {
        let ids = zip(encoded.inputIDs, encoded.attentionMask).filter { $0.1 == 1 }.map { Int($0.0) }
        let fields = [
          "\"text\": \(JSONLiteral.string(text))",
          "\"tokens\": [\(ids.map { JSONLiteral.string(tokenizer.token(of: $0) ?? "") }.joined(separator: ", "))]",
          "\"input_ids\": [\(ids.map(String.init).joined(separator: ", "))]",
          "\"embedding\": [\(vectors[row * width..<(row + 1) * width].map { "\($0)" }.joined(separator: ", "))]",
        ]
        emit("{" + fields.joined(separator: ", ") + "}")
      }
    }
  }

  /// The tokenizer and the frozen encoder of a folder, with user errors as command errors.
  static func load(_ folder: TextModelFolder, device: Device) throws -> (WordPieceTokenizer, BertModel) {
    do {
      return (try folder.loadTokenizer(), try folder.loadModel(device: device))
    } catch let error as TextModelError {
      throw CommandError(error.description)
    }
  }
}
