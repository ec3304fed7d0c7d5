import Foundation

/// MIMIC-IV-ECG 1.0: `record_list.csv` joined with `machine_measurements.csv` on (subject_id, study_id).
public struct MIMICIVSource: RecordSource {
  /// The dataset folder.
  public let root: URL

  /// Creates the source.
  public init(root: URL) { self.root = root }

  public var kind: SourceKind { .mimicIV }
  public var expectations: SourceExpectations { SourceExpectations(samplingRate: 500, frames: 5000, allLeads: true) }

  public func records() throws -> [SourceRecord] {
    let listURL = root.appendingPathComponent("record_list.csv")
    let measurementsURL = root.appendingPathComponent("machine_measurements.csv")
    let list = try CSVTable(contentsOf: listURL)
    let measurements = try CSVTable(contentsOf: measurementsURL)
    let subject = try list.column("subject_id", in: listURL.path)
    let study = try list.column("study_id", in: listURL.path)
    let pathColumn = try list.column("path", in: listURL.path)
    let mSubject = try measurements.column("subject_id", in: measurementsURL.path)
    let mStudy = try measurements.column("study_id", in: measurementsURL.path)
    let reportColumns = try (0..<18).map { try measurements.column("report_\($0)", in: measurementsURL.path) }
    var reports: [String: String] = [:]
    for row in measurements.rows {
      let parts = reportColumns.map { row[$0].trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      reports[row[mSubject] + "/" + row[mStudy]] = parts.joined(separator: " ")
    }
    return list.rows.map { row in
      let path = row[pathColumn]
      return SourceRecord(
        id: row[study], path: root.appendingPathComponent(path).path, patientID: SourceFiles.patient(row[subject]),
        report: reports[row[subject] + "/" + row[study]] ?? "",
        referenceStem: path.replacingOccurrences(of: "/", with: "_"))
    }
  }

  public func load(_ record: SourceRecord) throws -> RawECG {
    // The reference drops studies whose 18 report fields are all empty (or that have no measurements).
    guard !record.report.isEmpty else { throw RecordSkip("empty report", "study \(record.id) has no machine report") }
    return try loadWFDB(record.path)
  }
}
