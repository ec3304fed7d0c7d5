import Foundation

/// PTB-XL's `--english-reports` CSV (`ecg_id`, `report`): the reports by id, and its faults as warnings (rows
/// whose id is not a whole number are ignored; of an id given twice, the last row is used).
struct EnglishReports {
  /// The file's path, as given.
  let path: String
  /// Report by `ecg_id` (as `SourceFiles.integerText` writes it).
  let reports: [String: String]
  /// Duplicate and unparsable ids, one warning each.
  let warnings: [RecordSkip]

  /// Reads and parses the file at `url`.
  init(contentsOf url: URL) throws {
    path = url.path
    let table = try CSVTable(text: String(decoding: try Self.contents(of: url), as: UTF8.self), source: path)
    let id = try table.column("ecg_id", in: path)
    let report = try table.column("report", in: path)
    var reports: [String: String] = [:]
    var rows: [String: Int] = [:]
    var order: [String] = []
    var warnings: [RecordSkip] = []
    for (number, row) in table.rows.enumerated() {
      let text = row[id].trimmingCharacters(in: .whitespaces)
      let key = SourceFiles.integerText(text)
      guard Int(key) != nil else {
        warnings.append(
          RecordSkip(
            "unparsable id in --english-reports",
            "\(path) row \(number + 1): ecg_id '\(text)' is not a whole number; the row is ignored"))
        continue
      }
      if rows[key] == nil { order.append(key) }
      rows[key, default: 0] += 1
      reports[key] = row[report]
    }
    for key in order where rows[key]! > 1 {
      warnings.append(
        RecordSkip(
          "duplicate id in --english-reports",
          "\(path): ecg_id \(key) has \(rows[key]!) rows; the last one's report is used"))
    }
    self.reports = reports
    self.warnings = warnings
  }

  /// The file's bytes, or an error naming `--english-reports` and the file.
  static func contents(of url: URL) throws -> Data {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      let missing = !FileManager.default.fileExists(atPath: url.path)
      throw DataSourceError(
        "--english-reports \(url.path): \(missing ? "no such file" : "the file cannot be read"); "
          + "check the path given to --english-reports")
    }
    return data
  }
}
