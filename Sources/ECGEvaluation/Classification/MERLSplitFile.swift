import ECGData
import Foundation

/// MERL's CPSC2018 (`icbeb_*.csv`) and CSN (`chapman_*.csv`) split files: split and label columns by record id
/// (classification.md §1.2, §1.3). Their splits cannot be re-derived, so records are matched by id; their label
/// columns are MERL's exactly (for CSN: MERL's substring rule, [QUIRK]), in MERL's column order.
public struct MERLSplitFiles: Sendable {
  /// Label columns in MERL's order.
  public let classes: [String]
  /// Split and positive classes of every listed record.
  public let records: [String: (split: Split, labels: Set<String>)]
  /// Record ids of each split in file order (label fractions subset the training file's order).
  public let order: [Split: [String]]

  /// Reads `<folder>/<prefix>_{train,val,test}.csv` (folder `merl_splits/icbeb` or `merl_splits/chapman`).
  public init(folder: URL, labelSet: ClassificationLabelSet) throws {
    let (prefix, idColumn, firstLabelAfter): (String, String, String) =
      switch labelSet {
      case .cpsc2018: ("icbeb", "filename", "scp_codes")
      case .csn: ("chapman", "ecg_path", "diagnose")
      default: preconditionFailure("MERL split files exist for cpsc2018 and csn only")
      }
    var classes: [String]? = nil
    var records: [String: (split: Split, labels: Set<String>)] = [:]
    var order: [Split: [String]] = [:]
    for (split, name) in [(Split.train, "train"), (.validation, "val"), (.test, "test")] {
      let url = folder.appendingPathComponent("\(prefix)_\(name).csv")
      let table = try readLabelTable(url, what: "MERL's \(labelSet.rawValue) \(name) split")
      let id = try table.column(idColumn, in: url.path)
      let labelStart = try table.column(firstLabelAfter, in: url.path) + 1
      let names = Array(table.columns[labelStart...])
      if let classes, Set(classes) != Set(names) {
        throw ClassificationError("\(url.path) has other label columns than the train file; use MERL's split files")
      }
      classes = classes ?? names
      for row in table.rows {
        let path = row[id]
        let record = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let positives = names.indices.filter { Double(row[labelStart + $0]) == 1 }.map { names[$0] }
        records[record] = (split, Set(positives))
        order[split, default: []].append(record)
      }
    }
    self.classes = classes ?? []
    self.records = records
    self.order = order
  }
}
