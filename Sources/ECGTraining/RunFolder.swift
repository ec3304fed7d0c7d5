import ECGCore
import Foundation
import Yams

/// A run's folder, `<base>/<id>/` with the next free integer id as the reference picks it (largest all-digit
/// sub-folder name + 1, or 0; pipeline.md §10.3): `config.yaml`, `checkpoints/`, `metrics.jsonl`, TensorBoard
/// event files, and `DONE` when the run finished.
public struct RunFolder: Sendable {
  public let url: URL

  /// Opens an existing run folder (to resume into).
  public init(existing url: URL) { self.url = url }

  /// Creates `<base>/<next id>/`; two runs starting at once get different ids (creation is exclusive).
  public static func create(base: URL) throws -> RunFolder {
    let manager = FileManager.default
    try manager.createDirectory(at: base, withIntermediateDirectories: true)
    while true {
      let names = try manager.contentsOfDirectory(atPath: base.path)
      let next = (names.compactMap { $0.allSatisfy(\.isASCIIDigit) ? Int($0) : nil }.max() ?? -1) + 1
      let url = base.appendingPathComponent(String(next))
      // mkdir fails when another process took the id first; then look again.
      if (try? manager.createDirectory(at: url, withIntermediateDirectories: false)) != nil {
        return RunFolder(existing: url)
      }
    }
  }

  public var checkpoints: URL { url.appendingPathComponent("checkpoints") }
  public var metrics: URL { url.appendingPathComponent("metrics.jsonl") }
  public var configuration: URL { url.appendingPathComponent("config.yaml") }
  public var done: URL { url.appendingPathComponent("DONE") }

  /// YAML of `settings` in block style with keys sorted, as the reference's PyYAML dump. Numbers are written
  /// so that PyYAML also reads them as floats (`0.9`, `1.0e-08`; Yams' own `9e-1` would be a string there).
  /// Each of `keys` the encoding leaves out (an unset optional) is written `key: null`, as the reference dumps
  /// every argument.
  public static func yaml<Settings: Encodable>(_ settings: Settings, keys: [String] = []) throws -> String {
    let encoder = YAMLEncoder()
    encoder.options.sortKeys = true
    let text = withNulls(for: keys, in: try encoder.encode(settings))
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      guard let split = line.range(of: ": ", options: .backwards) ?? line.range(of: "- ") else { return String(line) }
      let value = line[split.upperBound...]
      guard value.contains("e"), value.allSatisfy({ "0123456789.e+-".contains($0) }), let number = Double(value) else {
        return String(line)
      }
      var written = "\(number)"
      if !written.contains(".") { written = written.replacingOccurrences(of: "e", with: ".0e") }
      return line[..<split.upperBound] + written
    }.joined(separator: "\n")
  }

  /// `text` (a block mapping with sorted keys) with `key: null` for each of `keys` it lacks, in sorted place.
  static func withNulls(for keys: [String], in text: String) -> String {
    // A top-level entry is its key line and the indented or list lines under it.
    var entries: [(key: String, lines: [Substring])] = []
    let lines = text.split(separator: "\n")
    for line in lines {
      if let first = line.first, first != " ", first != "-", let colon = line.firstIndex(of: ":") {
        entries.append((String(line[..<colon]), [line]))
      } else if !entries.isEmpty {
        entries[entries.count - 1].lines.append(line)
      }
    }
    guard entries.map(\.lines.count).reduce(0, +) == lines.count else { return text }
    let present = Set(entries.map(\.key))
    for key in keys where !present.contains(key) { entries.append((key, ["\(key): null"])) }
    return entries.sorted { $0.key < $1.key }.flatMap(\.lines).joined(separator: "\n") + "\n"
  }

  /// Writes `config.yaml` (atomically).
  public func writeConfiguration(_ yaml: String) throws {
    try Data(yaml.utf8).write(to: configuration, options: .atomic)
  }

  /// Writes the empty `DONE` marker.
  public func markDone() throws {
    try Data().write(to: done, options: .atomic)
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension RunFolder {
  /// Reads settings written by `yaml(_:)` back (for `--resume`, eval and sampling). `source`, the folder the text
  /// came from, names the file when it is damaged.
  public static func decode<Settings: Decodable>(
    _ type: Settings.Type, yaml: String, from source: URL? = nil
  ) throws -> Settings {
    do {
      return try YAMLDecoder().decode(type, from: yaml)
    } catch {
      let file = source.map { $0.appendingPathComponent("config.yaml").path } ?? "the run's config.yaml"
      throw TrainingError.invalidConfiguration(
        "\(file) is not a readable run configuration (\(DecodingFailure.reason(error))); restore it (the run folder and "
          + "each of its checkpoints keep a copy) or start a new run")
    }
  }
}
