import Foundation

/// PTB-XL 1.0.3: `ptbxl_database.csv`, `scp_statements.csv` and the 500 Hz WFDB records.
public struct PTBXLSource: RecordSource {
  /// The dataset folder.
  public let root: URL
  /// Optional CSV with `ecg_id` and an English `report` column, preferred over the German reports.
  public let englishReports: URL?

  /// Creates the source.
  public init(root: URL, englishReports: URL? = nil) {
    self.root = root
    self.englishReports = englishReports
  }

  public var kind: SourceKind { .ptbXL }
  public var expectations: SourceExpectations { SourceExpectations(samplingRate: 500, frames: 5000, allLeads: true) }

  public func records() throws -> [SourceRecord] {
    let databaseURL = root.appendingPathComponent("ptbxl_database.csv")
    let database = try CSVTable(contentsOf: databaseURL)
    let name = databaseURL.path
    let idColumn = try database.column("ecg_id", in: name)
    let patientColumn = try database.column("patient_id", in: name)
    let reportColumn = try database.column("report", in: name)
    let codesColumn = try database.column("scp_codes", in: name)
    let foldColumn = try database.column("strat_fold", in: name)
    let pathColumn = try database.column("filename_hr", in: name)
    let superclass = try diagnosticClasses()
    let english = try englishReports.map { try EnglishReports(contentsOf: $0) }
    // A bad row never stops the run: it becomes a record that is skipped with its reason.
    var records = database.rows.map { row in
      let id = SourceFiles.integerText(row[idColumn])
      let path = row[pathColumn]
      var record = SourceRecord(
        id: id, path: root.appendingPathComponent(path).path, patientID: SourceFiles.patient(row[patientColumn]),
        report: english?.reports[id] ?? row[reportColumn],
        referenceStem: path.replacingOccurrences(of: "/", with: "_"))
      if let english, english.reports[id] == nil {
        record.warnings.append(
          RecordSkip(
            "no English report",
            "\(english.path): no row for ecg_id \(id); its German report is kept (given to --english-reports)"))
      }
      if let codes = PythonLiteral.numberDict(row[codesColumn]) {
        record.labels = codes
        record.classes = Set(codes.keys.compactMap { superclass[$0] }).sorted()
      } else {
        record.problem = RecordSkip(
          "bad database row", "\(name): ecg_id \(id): scp_codes '\(row[codesColumn])' is not a dict literal")
      }
      if let fold = Int(SourceFiles.integerText(row[foldColumn])), (1...10).contains(fold) {
        record.officialSplit = fold == 10 ? .test : (fold == 9 ? .validation : .train)
      } else {
        record.warnings.append(
          RecordSkip(
            "bad strat_fold",
            "\(name): ecg_id \(id): strat_fold '\(row[foldColumn])' is not 1-10; split by patient instead"))
      }
      return record
    }
    // The file's own faults are counted once: they ride on the first record, which every run processes.
    if let english, !records.isEmpty { records[0].warnings = english.warnings + records[0].warnings }
    return records
  }

  /// `--english-reports`: its resolved path and the XXH64 of its content, so that a resume with another file (or
  /// without one) is refused.
  public func recordSettings() throws -> [String: String] {
    guard let englishReports else { return [:] }
    let data = try EnglishReports.contents(of: englishReports)
    return [
      "english_reports": englishReports.standardizedFileURL.resolvingSymlinksInPath().path,
      "english_reports_xxh64": data.withUnsafeBytes { XXHash64.hex($0) },
    ]
  }

  /// SCP code → diagnostic superclass, for codes whose `diagnostic` flag is 1.
  private func diagnosticClasses() throws -> [String: String] {
    let url = root.appendingPathComponent("scp_statements.csv")
    let table = try CSVTable(contentsOf: url)
    let diagnostic = try table.column("diagnostic", in: url.path)
    let classColumn = try table.column("diagnostic_class", in: url.path)
    var result: [String: String] = [:]
    for row in table.rows where Double(row[diagnostic]) == 1 && !row[classColumn].isEmpty {
      result[row[0]] = row[classColumn]
    }
    return result
  }

  public func load(_ record: SourceRecord) throws -> RawECG { try loadWFDB(record.path) }
}
