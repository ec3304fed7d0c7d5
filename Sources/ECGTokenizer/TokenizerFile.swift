import Foundation

/// Reading and writing tokenizer files: our JSON format (see docs/tokenizer.md) and the reference's pickle.
extension ECGByteTokenizer {
  /// The `format` field of our JSON tokenizer files.
  public static let fileFormat = "ecg-byte-tokenizer"
  /// The JSON format version this code writes (and the highest it reads).
  public static let fileVersion = 1

  /// Loads a tokenizer file, JSON or reference pickle, telling them apart by content. A file whose training did
  /// not finish (`"complete": false`, see `TokenizerTrainingStatus`) is refused with the command that finishes it,
  /// unless `acceptingUnfinished` (for `--resume` and `inspect`).
  public init(contentsOf path: String, acceptingUnfinished: Bool = false) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw TokenizerError("cannot read tokenizer file '\(path)': no such file or not readable")
    }
    let bytes = [UInt8](data)
    var status: TokenizerTrainingStatus?
    do {
      if bytes.first == 0x80 {
        try self.init(referencePickle: bytes)
      } else if bytes.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }) == UInt8(ascii: "{") {
        let file = try Self.decodeFile(data)
        try self.init(file: file)
        status = file.training?.status
      } else {
        throw TokenizerError("not a tokenizer file: expected our JSON format or the reference's pickle")
      }
    } catch let error as TokenizerError {
      throw TokenizerError("'\(path)': \(error.message)")
    }
    if !acceptingUnfinished, let status, !status.complete {
      throw TokenizerError(status.unfinishedMessage(file: path, merges: merges.count))
    }
  }

  private struct FileV1: Decodable {
    struct Entry: Decodable {
      var id: Int
      var text: String?
      var bytes: [Int]?
      var pair: [Int]?
    }
    /// The `training` object, read in the same pass (its other fields are the trainer's).
    /// Read leniently, as the trainer's record it is: a field of another type counts as absent.
    struct Training: Decodable {
      var complete: Bool?
      var merges_requested: Int?
      var data: String?
      var sample: Int?

      enum CodingKeys: String, CodingKey { case complete, merges_requested, data, sample }

      init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        complete = try? c.decodeIfPresent(Bool.self, forKey: .complete)
        merges_requested = try? c.decodeIfPresent(Int.self, forKey: .merges_requested)
        data = try? c.decodeIfPresent(String.self, forKey: .data)
        sample = try? c.decodeIfPresent(Int.self, forKey: .sample)
      }

      var status: TokenizerTrainingStatus {
        TokenizerTrainingStatus(
          complete: complete ?? true, mergesRequested: merges_requested, data: data, sample: sample)
      }
    }
    var format: String?
    var version: Int?
    var merges: [Entry]?
    var training: Training?

    enum CodingKeys: String, CodingKey { case format, version, merges, training }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      format = try c.decodeIfPresent(String.self, forKey: .format)
      version = try c.decodeIfPresent(Int.self, forKey: .version)
      merges = try c.decodeIfPresent([Entry].self, forKey: .merges)
      training = try? c.decodeIfPresent(Training.self, forKey: .training)
    }
  }

  private static func decodeFile(_ data: Data) throws -> FileV1 {
    do {
      return try JSONDecoder().decode(FileV1.self, from: data)
    } catch {
      throw TokenizerError("not a tokenizer file: invalid JSON or unexpected field types (\(error))")
    }
  }

  /// Parses our JSON tokenizer format.
  public init(json data: Data) throws {
    try self.init(file: try Self.decodeFile(data))
  }

  private init(file: FileV1) throws {
    guard file.format == Self.fileFormat else {
      throw TokenizerError(
        "not a tokenizer file: its \"format\" is \(file.format.map { "'\($0)'" } ?? "missing"), expected '\(Self.fileFormat)'"
      )
    }
    guard let version = file.version, (1...Self.fileVersion).contains(version) else {
      throw TokenizerError(
        "tokenizer file version \(file.version.map(String.init) ?? "missing") is not supported (this build reads 1…\(Self.fileVersion)); update ecg"
      )
    }
    guard let entries = file.merges else { throw TokenizerError("tokenizer file has no \"merges\" list") }
    let merges = try entries.map { entry -> Merge in
      let spelling: [UInt8]
      switch (entry.text, entry.bytes) {
      case (let text?, nil): spelling = Array(text.utf8)
      case (nil, let bytes?):
        spelling = try bytes.map {
          guard (0...255).contains($0) else { throw TokenizerError("merge \(entry.id) has a non-byte value \($0)") }
          return UInt8($0)
        }
      default: throw TokenizerError("merge \(entry.id) needs exactly one of \"text\" and \"bytes\"")
      }
      // Merges are checked in file order, so the error names the first broken one, not a later dependant.
      guard spelling.count >= 2 else {
        throw TokenizerError(
          "merge \(entry.id) is spelled by \(spelling.count) byte\(spelling.count == 1 ? "" : "s"); a merged token has at least 2"
        )
      }
      var pair: (TokenID, TokenID)?
      if let values = entry.pair {
        guard values.count == 2 else {
          throw TokenizerError("merge \(entry.id) has a \"pair\" of \(values.count) ids, expected 2")
        }
        pair = (TokenID(clamping: values[0]), TokenID(clamping: values[1]))
        if let left = Self.spellingCandidate(values[0], entries),
          let right = Self.spellingCandidate(values[1], entries),
          left + right != spelling
        {
          throw TokenizerError("merge \(entry.id) is spelled differently from its pair \(values)")
        }
      }
      return Merge(id: TokenID(clamping: entry.id), spelling: spelling, pair: pair)
    }
    try self.init(merges: merges)
  }

  private static func spellingCandidate(_ id: Int, _ entries: [FileV1.Entry]) -> [UInt8]? {
    if (0..<256).contains(id) { return [UInt8(id)] }
    let index = id - 256
    guard entries.indices.contains(index) else { return nil }
    return entries[index].text.map { Array($0.utf8) } ?? entries[index].bytes?.compactMap { UInt8(exactly: $0) }
  }

  /// Our JSON format: one merge per line, so files diff well. `metadata` (e.g. training statistics) is written as
  /// the `"training"` object; readers use only its `complete` field (`TokenizerTrainingStatus`).
  public func jsonText(metadata: [(String, String)] = []) -> String {
    let specials = specialTokens
    var lines = [
      "{",
      "  \"format\": \"\(Self.fileFormat)\",",
      "  \"version\": \(Self.fileVersion),",
      "  \"byte_tokens\": \(Self.byteTokenCount),",
      "  \"vocabulary_size\": \(vocabularySize),",
      "  \"special_tokens\": {\"pad\": \(specials.pad), \"bos\": \(specials.bos), \"eos\": \(specials.eos)},",
    ]
    if !metadata.isEmpty {
      lines.append(
        "  \"training\": {" + metadata.map { "\(Self.quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "},")
    }
    lines.append("  \"merges\": [")
    for (index, merge) in merges.enumerated() {
      var fields = ["\"id\": \(merge.id)"]
      if merge.spelling.allSatisfy({ (0x20...0x7e).contains($0) }) {
        fields.append("\"text\": " + Self.quoted(String(decoding: merge.spelling, as: UTF8.self)))
      } else {
        fields.append("\"bytes\": [" + merge.spelling.map(String.init).joined(separator: ", ") + "]")
      }
      if let (left, right) = merge.pair { fields.append("\"pair\": [\(left), \(right)]") }
      lines.append("    {" + fields.joined(separator: ", ") + "}" + (index + 1 < merges.count ? "," : ""))
    }
    lines.append("  ]")
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes `jsonText` atomically (a crash never leaves a half-written file).
  public func writeJSON(to path: String, metadata: [(String, String)] = []) throws {
    do {
      try Data(jsonText(metadata: metadata).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw TokenizerError("cannot write tokenizer file '\(path)': \(error.localizedDescription)")
    }
  }

  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
