import Foundation

/// CODE-15% 1.0.0: `exams.csv` and the HDF5 files `exams_part*.hdf5` (`tracings` N × 4096 × 12 at
/// 400 Hz, `exam_id` N), read through libhdf5 loaded at run time.
public struct Code15Source: RecordSource {
  /// The dataset folder.
  public let root: URL

  /// Label columns with the words used in reports, in report order.
  static let labelNames: [(column: String, words: String)] = [
    ("1dAVb", "first degree AV block"), ("RBBB", "right bundle branch block"), ("LBBB", "left bundle branch block"),
    ("SB", "sinus bradycardia"), ("ST", "sinus tachycardia"), ("AF", "atrial fibrillation"),
  ]

  /// Creates the source.
  public init(root: URL) { self.root = root }

  public var kind: SourceKind { .code15 }
  public var expectations: SourceExpectations { SourceExpectations(samplingRate: 400, frames: nil, allLeads: true) }

  public func records() throws -> [SourceRecord] {
    let csvURL = root.appendingPathComponent("exams.csv")
    let exams = try CSVTable(contentsOf: csvURL)
    let idColumn = try exams.column("exam_id", in: csvURL.path)
    let patientColumn = try exams.column("patient_id", in: csvURL.path)
    let normalColumn = try exams.column("normal_ecg", in: csvURL.path)
    let labelColumns = try Self.labelNames.map { try exams.column($0.column, in: csvURL.path) }
    let parts = try FileManager.default.contentsOfDirectory(atPath: root.path)
      .filter { $0.hasPrefix("exams_part") && $0.hasSuffix(".hdf5") }
      .sorted { (Int($0.dropFirst(10).dropLast(5)) ?? 0) < (Int($1.dropFirst(10).dropLast(5)) ?? 0) }
    guard !parts.isEmpty else { throw DataSourceError("\(root.path): no exams_part*.hdf5 files") }
    // A later part overwrites an earlier duplicate, as the reference does. An unreadable part (a truncated
    // download, say) costs its own exams only: they are skipped with its reason, the other parts go on.
    _ = try HDF5Library.load()  // without libhdf5 no part reads: that stops the run with how to install it
    var location: [String: (path: String, row: Int)] = [:]
    var unreadable: [String: String] = [:]
    for part in parts {
      let path = root.appendingPathComponent(part).path
      do {
        for (row, id) in try Self.examIDs(inPart: path).enumerated() { location[String(id)] = (path, row) }
      } catch {
        unreadable[part] = (error as? DataSourceError)?.message ?? "\(path): \(error)"
      }
    }
    let traceFileColumn = exams.has("trace_file") ? try exams.column("trace_file", in: csvURL.path) : nil
    return exams.rows.map { row in
      let id = SourceFiles.integerText(row[idColumn])
      guard let (path, index) = location[id] else {
        // Counted, not silently dropped: a partial download leaves exams without tracings.
        var record = SourceRecord(id: id, path: csvURL.path, report: "", referenceStem: id)
        // exams.csv names each exam's part (`trace_file`); without it, any unreadable part may hold the exam.
        let part = traceFileColumn.map { row[$0].trimmingCharacters(in: .whitespaces) }.flatMap {
          $0.isEmpty ? nil : $0
        }
        if let reason = part.flatMap({ unreadable[$0] }) ?? (part == nil ? unreadable.values.sorted().first : nil) {
          record.problem = RecordSkip(
            "unreadable HDF5 file", "exam_id \(id) of \(csvURL.path): \(reason); re-download that part")
        } else {
          record.problem = RecordSkip(
            "no tracing", "exam_id \(id) of \(csvURL.path) is in no exams_part*.hdf5 file")
        }
        return record
      }
      func flag(_ text: String) -> Bool { ["true", "1", "1.0"].contains(text.lowercased()) }
      var labels: [String: Double] = [:]
      var classes: [String] = []
      var words: [String] = []
      for ((column, text), position) in zip(Self.labelNames, labelColumns) {
        let present = flag(row[position])
        labels[column] = present ? 1 : 0
        if present {
          classes.append(column)
          words.append(text)
        }
      }
      let normal = flag(row[normalColumn])
      labels["normal_ecg"] = normal ? 1 : 0
      if normal { classes.append("normal_ecg") }
      let report = words.isEmpty ? (normal ? "normal ecg" : "no listed abnormality") : words.joined(separator: "; ")
      return SourceRecord(
        id: id, path: path, patientID: SourceFiles.patient(row[patientColumn]), report: report, labels: labels,
        classes: classes, referenceStem: id, row: index)
    }
  }

  /// The `exam_id`s of part `path`, after checking that its `tracings` are [exams, samples, leads]; throws a
  /// `DataSourceError` naming the file and what is wrong with it.
  static func examIDs(inPart path: String) throws -> [Int64] {
    let file = try HDF5File(path: path)
    let ids = try file.readInt64("exam_id")
    let shape = try file.shape(of: "tracings")
    guard shape.count == 3, shape[0] == ids.count else {
      throw DataSourceError(
        "\(path): dataset 'tracings' has shape \(shape), expected [\(ids.count) exams, samples, 12 leads]")
    }
    return ids
  }

  public func load(_ record: SourceRecord) throws -> RawECG {
    let (values, shape) = try HDF5File(path: record.path).readFloatRow("tracings", row: record.row ?? 0)
    guard shape.count == 2, shape[1] == 12 else {
      throw RecordSkip(
        "wrong lead set",
        "\(record.location) (row \(record.row ?? 0)): tracing shape \(shape), expected [samples, 12]")
    }
    let frames = shape[0]
    func isZero(_ t: Int) -> Bool { (0..<12).allSatisfy { values[t * 12 + $0] == 0 } }
    var leading = 0
    while leading < frames && isZero(leading) { leading += 1 }
    var trailing = 0
    while trailing < frames - leading && isZero(frames - 1 - trailing) { trailing += 1 }
    // Shorter exams are zero-padded symmetrically; remove that padding only.
    let symmetric = leading + trailing < frames && abs(leading - trailing) <= 1
    let range = symmetric ? leading..<(frames - trailing) : 0..<frames
    let leads = (0..<12).map { c in range.map { Double(values[$0 * 12 + c]) } }
    return RawECG(samplingRate: 400, leadNames: StandardLeads.names, leads: leads)
  }
}
