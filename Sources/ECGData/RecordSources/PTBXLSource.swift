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
    var english: [String: String] = [:]
    if let englishReports {
      let table = try CSVTable(contentsOf: englishReports)
      let id = try table.column("ecg_id", in: englishReports.path)
      let report = try table.column("report", in: englishReports.path)
      for row in table.rows { english[SourceFiles.integerText(row[id])] = row[report] }
    }
    // A bad row never stops the run: it becomes a record that is skipped with its reason.
    return database.rows.map { row in
      let id = SourceFiles.integerText(row[idColumn])
      let path = row[pathColumn]
      var record = SourceRecord(
        id: id, path: root.appendingPathComponent(path).path, patientID: SourceFiles.patient(row[patientColumn]),
        report: english[id] ?? row[reportColumn], referenceStem: path.replacingOccurrences(of: "/", with: "_"))
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
