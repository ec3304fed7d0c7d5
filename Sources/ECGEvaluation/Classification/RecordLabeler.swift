import ECGData
import Foundation

/// Turns a stored window's metadata into the label set's multi-hot row and split (classification.md §1).
public struct RecordLabeler: Sendable {
  public let labelSet: ClassificationLabelSet
  /// Class names in output order: sorted for PTB-XL (PTBXL-B), MERL's column order for CPSC2018 and CSN,
  /// the generator's order for the synthetic labels.
  public let classes: [String]
  private let ptbxl: PTBXLStatements?
  private let merl: MERLSplitFiles?
  private let merlPositions: [String: Int]?

  /// - Parameter labelsDirectory: the folder with `ptbxl_scp_statements.csv` and `merl_splits/` (the project's
  ///   copy is `shared/data/labels`); the synthetic labels need none.
  public init(_ labelSet: ClassificationLabelSet, labelsDirectory: URL?) throws {
    self.labelSet = labelSet
    func folder() throws -> URL {
      guard let labelsDirectory else {
        throw ClassificationError(
          "--labels \(labelSet.rawValue) needs the label files: pass --labels_dir (the project's copy is "
            + "shared/data/labels)")
      }
      return labelsDirectory
    }
    switch labelSet {
    case .synthetic:
      (ptbxl, merl, classes) = (nil, nil, SyntheticFindings.labelSet)
    case .cpsc2018, .csn:
      let name = labelSet == .cpsc2018 ? "icbeb" : "chapman"
      let files = try MERLSplitFiles(
        folder: try folder().appendingPathComponent("merl_splits/\(name)"), labelSet: labelSet)
      (ptbxl, merl, classes) = (nil, files, files.classes)
    case .ptbxlSuper, .ptbxlSub, .ptbxlForm, .ptbxlRhythm:
      let statements = try PTBXLStatements(contentsOf: try folder().appendingPathComponent("ptbxl_scp_statements.csv"))
      (ptbxl, merl, classes) = (statements, nil, statements.classes(labelSet.ptbxlTask!))
    }
    merlPositions = merl.map { files in
      Dictionary(
        files.order.values.flatMap { $0.enumerated().map { ($1, $0) } }, uniquingKeysWith: { first, _ in first })
    }
  }

  /// The split the label set fixes for a record (MERL's files), nil where the store's split applies.
  public func split(of metadata: WindowMetadata) -> Split? { merl?.records[metadata.recordID]?.split }

  /// Whether MERL's files list this record (always true without MERL's files).
  public func lists(_ metadata: WindowMetadata) -> Bool { merl == nil || merl!.records[metadata.recordID] != nil }

  /// The record's multi-hot row, or nil when the task drops it (PTB-XL: no label for the task).
  public func labels(of metadata: WindowMetadata) -> [Bool]? {
    let positives: Set<String>
    if let ptbxl {
      positives = ptbxl.labels(labelSet.ptbxlTask!, codes: metadata.labels.keys)
      if positives.isEmpty { return nil }
    } else if let merl {
      guard let record = merl.records[metadata.recordID] else { return nil }
      positives = record.labels
    } else {
      positives = Set(metadata.labels.keys)
    }
    return classes.map { positives.contains($0) }
  }

  /// A record's position in MERL's file of its split (nil without MERL's files).
  public func filePosition(of recordID: String) -> Int? { merlPositions?[recordID] }

  /// How many records of MERL's files there are (0 without them).
  public var listedRecordCount: Int { merl?.records.count ?? 0 }
}
