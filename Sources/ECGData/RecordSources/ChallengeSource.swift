import Foundation

/// PhysioNet Challenge-style WFDB folders (CPSC 2018, Chapman-Shaoxing "CSN") and any other folder of
/// WFDB records: every `.hea` under the input folder. Reports come from the `#Dx:` SNOMED CT codes
/// (or, for generic records without them, the header comments).
public struct ChallengeSource: RecordSource {
  /// The dataset folder.
  public let root: URL
  /// `cpsc`, `csn` or `wfdb`.
  public let kind: SourceKind
  /// For `wfdb`: require all 12 standard leads.
  public let requireAllLeads: Bool

  /// Creates the source.
  public init(root: URL, kind: SourceKind, requireAllLeads: Bool = false) {
    self.root = root
    self.kind = kind
    self.requireAllLeads = requireAllLeads
  }

  public var expectations: SourceExpectations {
    switch kind {
    case .cpsc: return SourceExpectations(samplingRate: 500, frames: nil, allLeads: true)
    case .csn: return SourceExpectations(samplingRate: 500, frames: 5000, allLeads: true)
    default: return SourceExpectations(samplingRate: nil, frames: nil, allLeads: requireAllLeads)
    }
  }

  /// `require_12_leads` when a `wfdb` run requires all leads (the other sources always do), so that a resume
  /// with or without `--require-12-leads` is refused instead of mixing shards made both ways.
  public func recordSettings() throws -> [String: String] {
    kind == .wfdb && requireAllLeads ? ["require_12_leads": "yes"] : [:]
  }

  public func records() throws -> [SourceRecord] {
    let headers = try SourceFiles.find(under: root, suffix: ".hea").map { path in
      (path: path, text: FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "")
    }
    // Segments of multi-segment records are read through their master header, not on their own.
    var segments = Set<String>()
    for header in headers {
      let lines = header.text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("#") }
      guard let first = lines.first?.split(separator: " ").first, first.contains("/"),
        let count = Int(first.split(separator: "/").last ?? "")
      else { continue }
      let folder = URL(fileURLWithPath: header.path).deletingLastPathComponent()
      for line in lines.dropFirst().prefix(count) {
        if let segment = line.split(separator: " ").first, segment != "~" {
          segments.insert(folder.appendingPathComponent(String(segment)).path)
        }
      }
    }
    return headers.compactMap { header in
      let path = String(header.path.dropLast(4))
      guard !segments.contains(path) else { return nil }
      let name = URL(fileURLWithPath: path).lastPathComponent
      let comments = header.text.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { $0.hasPrefix("#") }
        .map { String($0.dropFirst()).trimmingCharacters(in: .whitespaces) }
      let (report, labels, classes) = Self.describe(comments: comments, generic: kind == .wfdb)
      return SourceRecord(id: name, path: path, report: report, labels: labels, classes: classes, referenceStem: name)
    }
  }

  /// Report, labels and classes from header comments such as `Dx: 59118001,164884008`.
  static func describe(comments: [String], generic: Bool) -> (String, [String: Double], [String]) {
    var codes: [String] = []
    for comment in comments {
      let parts = comment.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "dx" else { continue }
      codes += parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    if codes.isEmpty {
      return (generic ? comments.joined(separator: " ") : "", [:], [])
    }
    let names = codes.map { SNOMEDTable.conditions[$0]?.name ?? "SNOMED CT \($0)" }
    let classes = codes.compactMap { SNOMEDTable.conditions[$0]?.abbreviation }
    return (
      names.joined(separator: "; "), Dictionary(codes.map { ($0, 1.0) }, uniquingKeysWith: { a, _ in a }), classes
    )
  }

  public func load(_ record: SourceRecord) throws -> RawECG { try loadWFDB(record.path) }
}
