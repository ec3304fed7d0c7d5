import ECGData
import Foundation

/// PTB-XL's `scp_statements.csv`: which SCP code belongs to which task and class (classification.md §1.1,
/// PTBXL-B `compute_label_aggregations`).
public struct PTBXLStatements: Sendable {
  /// One row of the table.
  public struct Statement: Sendable, Equatable {
    public var code: String
    public var diagnostic: Bool
    public var form: Bool
    public var rhythm: Bool
    /// `diagnostic_class` (empty when NaN).
    public var diagnosticClass: String
    /// `diagnostic_subclass` (empty when NaN).
    public var diagnosticSubclass: String
  }

  /// The rows keyed by SCP code, in file order in `codes`.
  public let statements: [String: Statement]
  public let codes: [String]

  /// Reads the table (the shared copy is `labels/ptbxl_scp_statements.csv`).
  public init(contentsOf url: URL) throws {
    let table = try readLabelTable(url, what: "PTB-XL's statements table (scp_statements.csv)")
    let columns = try ["diagnostic", "form", "rhythm", "diagnostic_class", "diagnostic_subclass"].map {
      try table.column($0, in: url.path)
    }
    func flag(_ text: String) -> Bool { Double(text) == 1 }
    var statements: [String: Statement] = [:]
    var codes: [String] = []
    for row in table.rows {
      let code = row[0]
      codes.append(code)
      statements[code] = Statement(
        code: code, diagnostic: flag(row[columns[0]]), form: flag(row[columns[1]]), rhythm: flag(row[columns[2]]),
        diagnosticClass: row[columns[3]], diagnosticSubclass: row[columns[4]])
    }
    guard !codes.isEmpty else { throw ClassificationError("\(url.path) has no statement rows") }
    self.statements = statements
    self.codes = codes
  }

  /// The task's labels of a record with these SCP codes; likelihoods are ignored (every key counts, 0.0 too).
  public func labels(_ task: PTBXLTask, codes recordCodes: some Sequence<String>) -> Set<String> {
    var labels = Set<String>()
    for code in recordCodes {
      guard let statement = statements[code] else { continue }
      switch task {
      case .superdiagnostic:
        if statement.diagnostic && !statement.diagnosticClass.isEmpty { labels.insert(statement.diagnosticClass) }
      case .subdiagnostic:
        if statement.diagnostic && !statement.diagnosticSubclass.isEmpty {
          labels.insert(statement.diagnosticSubclass)
        }
      case .form: if statement.form { labels.insert(code) }
      case .rhythm: if statement.rhythm { labels.insert(code) }
      }
    }
    return labels
  }

  /// Every class the task can produce, sorted (PTBXL-B's `MultiLabelBinarizer` order).
  public func classes(_ task: PTBXLTask) -> [String] {
    Array(Set(codes.flatMap { labels(task, codes: [$0]) })).sorted()
  }
}

/// The four PTB-XL tasks ECG-encoder papers report.
public enum PTBXLTask: String, Sendable, CaseIterable {
  case superdiagnostic, subdiagnostic, form, rhythm
}
