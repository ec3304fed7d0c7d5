import Foundation

extension WordPieceTokenizer {
  /// The tokenizer of a Hugging Face model folder, as `AutoTokenizer.from_pretrained(folder)` builds the fast
  /// BERT tokenizer: `tokenizer.json` when present, else `vocab.txt` with `tokenizer_config.json` (and
  /// `special_tokens_map.json`). `tokenizer_config.json`'s `do_lower_case`, `strip_accents` and
  /// `tokenize_chinese_chars`, when given, override `tokenizer.json`'s normaliser, as `BertTokenizerFast` does.
  /// - Throws: `TextModelError` when the files are missing, unreadable, or describe a tokenizer other than
  ///   BERT's WordPiece.
  public init(folder: URL) throws {
    let config = try Self.jsonObject(folder.appendingPathComponent("tokenizer_config.json"), required: false) ?? [:]
    let specialMap =
      try Self.jsonObject(folder.appendingPathComponent("special_tokens_map.json"), required: false) ?? [:]
    func special(_ key: String, _ fallback: String) -> String {
      Self.tokenContent(config[key]) ?? Self.tokenContent(specialMap[key]) ?? fallback
    }
    let tokenizerFile = folder.appendingPathComponent("tokenizer.json")
    if FileManager.default.fileExists(atPath: tokenizerFile.path) {
      try self.init(tokenizerJSON: tokenizerFile, config: config, padToken: special("pad_token", "[PAD]"))
    } else {
      let vocabFile = folder.appendingPathComponent("vocab.txt")
      guard FileManager.default.fileExists(atPath: vocabFile.path) else {
        throw TextModelError.missingFile(
          vocabFile.path, "a BERT model folder needs tokenizer.json or vocab.txt (with tokenizer_config.json)")
      }
      let vocabulary = try Self.readVocabulary(vocabFile)
      let normalizer = BertNormalizer(
        cleanText: true, handleChineseChars: config["tokenize_chinese_chars"] as? Bool ?? true,
        stripAccents: config["strip_accents"] as? Bool, lowercase: config["do_lower_case"] as? Bool ?? true)
      let ids = Dictionary(vocabulary.map { ($0.token, $0.id) }, uniquingKeysWith: { $1 })
      let names = [
        "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]",
      ]
      var added: [AddedToken] = []
      for key in names.keys.sorted() {
        let content = special(key, names[key]!)
        if let id = ids[content] { added.append(AddedToken(content: content, id: id)) }
      }
      let (cls, sep) = (special("cls_token", "[CLS]"), special("sep_token", "[SEP]"))
      guard let clsID = ids[cls], let sepID = ids[sep] else {
        throw TextModelError.invalidTokenizer(
          "\(vocabFile.path) lacks the special tokens '\(cls)' and '\(sep)'; check cls_token and sep_token in tokenizer_config.json"
        )
      }
      try self.init(
        vocabulary: vocabulary, normalizer: normalizer, template: .bert(cls: clsID, sep: sepID),
        unknownToken: special("unk_token", "[UNK]"), padToken: special("pad_token", "[PAD]"), addedTokens: added)
    }
    truncatesLeft = config["truncation_side"] as? String == "left"
    padsLeft = config["padding_side"] as? String == "left"
  }

  /// Reads a `tokenizer.json` written by the `tokenizers` library.
  init(tokenizerJSON url: URL, config: [String: Any], padToken: String) throws {
    guard let root = try Self.jsonObject(url, required: true) else { throw TextModelError.invalidTokenizer(url.path) }
    func invalid(_ what: String) -> TextModelError {
      .invalidTokenizer("\(url.path): \(what); only BERT WordPiece tokenizers are supported")
    }
    guard let model = root["model"] as? [String: Any], model["type"] as? String == "WordPiece",
      let vocab = model["vocab"] as? [String: Any]
    else { throw invalid("the model is not WordPiece (\((root["model"] as? [String: Any])?["type"] ?? "none"))") }
    let vocabulary = try vocab.map { token, id -> (token: String, id: Int) in
      guard let id = id as? Int else { throw invalid("the id of '\(token)' is not an integer") }
      return (token, id)
    }.sorted { $0.id < $1.id }

    var normalizer: BertNormalizer?
    if let spec = root["normalizer"] as? [String: Any] {
      guard spec["type"] as? String == "BertNormalizer" else {
        throw invalid("the normalizer \(spec["type"] ?? "?") is not BertNormalizer")
      }
      normalizer = BertNormalizer(
        cleanText: spec["clean_text"] as? Bool ?? true,
        handleChineseChars: config["tokenize_chinese_chars"] as? Bool ?? spec["handle_chinese_chars"] as? Bool ?? true,
        stripAccents: config.keys.contains("strip_accents")
          ? config["strip_accents"] as? Bool : spec["strip_accents"] as? Bool,
        lowercase: config["do_lower_case"] as? Bool ?? spec["lowercase"] as? Bool ?? true)
    } else if !(root["normalizer"] is NSNull) && root["normalizer"] != nil {
      throw invalid("the normalizer cannot be read")
    }
    if let pre = root["pre_tokenizer"] as? [String: Any], pre["type"] as? String != "BertPreTokenizer" {
      throw invalid("the pre-tokenizer \(pre["type"] ?? "?") is not BertPreTokenizer")
    }

    let added = try (root["added_tokens"] as? [[String: Any]] ?? []).map { spec -> AddedToken in
      guard let content = spec["content"] as? String, let id = spec["id"] as? Int else {
        throw invalid("an added token lacks its content or id")
      }
      return AddedToken(
        content: content, id: id, singleWord: spec["single_word"] as? Bool ?? false,
        lstrip: spec["lstrip"] as? Bool ?? false, rstrip: spec["rstrip"] as? Bool ?? false,
        normalized: spec["normalized"] as? Bool ?? false, special: spec["special"] as? Bool ?? false)
    }
    var ids = Dictionary(vocabulary.map { ($0.token, $0.id) }, uniquingKeysWith: { $1 })
    for token in added { ids[token.content] = token.id }
    let template = try Self.template(root["post_processor"], ids: ids, invalid: invalid)
    try self.init(
      vocabulary: vocabulary, normalizer: normalizer, template: template,
      unknownToken: model["unk_token"] as? String ?? "[UNK]", padToken: padToken, addedTokens: added,
      continuingSubwordPrefix: model["continuing_subword_prefix"] as? String ?? "##",
      maxInputCharsPerWord: model["max_input_chars_per_word"] as? Int ?? 100)
  }

  /// The single-sequence template of a `TemplateProcessing` or `BertProcessing` post-processor; none when null.
  private static func template(
    _ spec: Any?, ids: [String: Int], invalid: (String) -> TextModelError
  ) throws -> SpecialTokenTemplate {
    guard let spec = spec as? [String: Any] else { return SpecialTokenTemplate(prefix: [], suffix: []) }
    switch spec["type"] as? String {
    case "BertProcessing":
      guard let cls = spec["cls"] as? [Any], let sep = spec["sep"] as? [Any], let clsID = cls.last as? Int,
        let sepID = sep.last as? Int
      else { throw invalid("BertProcessing lacks cls or sep") }
      return .bert(cls: clsID, sep: sepID)
    case "TemplateProcessing":
      guard let single = spec["single"] as? [[String: Any]] else { throw invalid("TemplateProcessing lacks single") }
      let specials = spec["special_tokens"] as? [String: Any] ?? [:]
      var template = SpecialTokenTemplate(prefix: [], suffix: [])
      var seenSequence = false
      for piece in single {
        if let sequence = piece["Sequence"] as? [String: Any] {
          template.sequenceTypeID = sequence["type_id"] as? Int ?? 0
          seenSequence = true
        } else if let token = piece["SpecialToken"] as? [String: Any], let name = token["id"] as? String {
          let tokenIDs = (specials[name] as? [String: Any])?["ids"] as? [Int] ?? ids[name].map { [$0] } ?? []
          guard !tokenIDs.isEmpty else { throw invalid("the special token '\(name)' has no id") }
          let tokens = tokenIDs.map { SpecialTokenTemplate.Token(id: $0, typeID: token["type_id"] as? Int ?? 0) }
          if seenSequence { template.suffix += tokens } else { template.prefix += tokens }
        }
      }
      return template
    default:
      throw invalid("the post-processor \(spec["type"] ?? "?") is not TemplateProcessing or BertProcessing")
    }
  }

  /// `vocab.txt`: one token per line, the id is the line number (as `transformers`' `load_vocab`, which strips
  /// only the newline).
  static func readVocabulary(_ url: URL) throws -> [(token: String, id: Int)] {
    let data = try Data(contentsOf: url)
    var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return try lines.enumerated().map { index, bytes in
      guard let token = String(validating: bytes, as: UTF8.self) else {
        throw TextModelError.invalidTokenizer("\(url.path) line \(index + 1) is not UTF-8 text")
      }
      return (token, index)
    }
  }

  /// A special token written as a string or as an `AddedToken` dict (`{"content": "[UNK]", …}`).
  private static func tokenContent(_ value: Any?) -> String? {
    if let text = value as? String { return text }
    return (value as? [String: Any])?["content"] as? String
  }

  private static func jsonObject(_ url: URL, required: Bool) throws -> [String: Any]? {
    guard FileManager.default.fileExists(atPath: url.path) else {
      if required { throw TextModelError.missingFile(url.path, "the tokenizer needs this file") }
      return nil
    }
    do {
      guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
        throw TextModelError.invalidTokenizer(
          "\(url.path) is not a JSON object; restore the file from the model's source")
      }
      return object
    } catch let error as TextModelError {
      throw error
    } catch {
      throw TextModelError.invalidTokenizer(
        "\(url.path) is not valid JSON (\(error)); restore the file from the model's source")
    }
  }
}
