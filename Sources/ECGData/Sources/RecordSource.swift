import Foundation

/// The raw datasets `ecg preprocess` reads.
public enum SourceKind: String, Sendable, CaseIterable, Codable {
  case ptbXL = "ptb_xl"
  case mimicIV = "mimic_iv"
  case code15
  case cpsc
  case csn
  case wfdb
}

/// One record of a raw dataset, with everything the index keeps about it.
public struct SourceRecord: Sendable, Equatable {
  /// Record identifier within the source.
  public var id: String
  /// Path of the record (WFDB header path without `.hea`, or the HDF5 file for CODE-15).
  public var path: String
  /// Patient identifier, when known.
  public var patientID: String?
  /// Report text.
  public var report: String
  /// Label codes with values.
  public var labels: [String: Double]
  /// Derived classes.
  public var classes: [String]
  /// The dataset's own split, if it has one.
  public var officialSplit: Split?
  /// The reference's file stem (its windows are `<stem>_<s>.npy`).
  public var referenceStem: String
  /// Row in the HDF5 file (CODE-15).
  public var row: Int?
  /// Window number of the record's first window (non-zero for imported reference windows).
  public var firstWindow: Int = 0

  /// Creates a record description.
  public init(
    id: String, path: String, patientID: String? = nil, report: String, labels: [String: Double] = [:],
    classes: [String] = [], officialSplit: Split? = nil, referenceStem: String, row: Int? = nil, firstWindow: Int = 0
  ) {
    self.id = id
    self.path = path
    self.patientID = patientID
    self.report = report
    self.labels = labels
    self.classes = classes
    self.officialSplit = officialSplit
    self.referenceStem = referenceStem
    self.row = row
    self.firstWindow = firstWindow
  }
}

/// A record's signals in physical units, as read: one array per lead, in the record's own order.
public struct RawECG: Sendable {
  /// Frames per second.
  public var samplingRate: Double
  /// Lead names as the record gives them.
  public var leadNames: [String]
  /// One array of samples per lead.
  public var leads: [[Double]]
  /// The rate of the record before any earlier resampling (imported windows), when it differs.
  public var originalRate: Double?
  /// Report found in the file itself (imported windows), preferred over the record list's.
  public var report: String?
  /// Source path found in the file itself (imported windows).
  public var sourcePath: String?

  /// Creates a raw ECG.
  public init(
    samplingRate: Double, leadNames: [String], leads: [[Double]], originalRate: Double? = nil, report: String? = nil,
    sourcePath: String? = nil
  ) {
    self.samplingRate = samplingRate
    self.leadNames = leadNames
    self.leads = leads
    self.originalRate = originalRate
    self.report = report
    self.sourcePath = sourcePath
  }
}

/// What a source promises about its records; a record that breaks it is skipped with the reason.
public struct SourceExpectations: Sendable {
  /// Required sampling rate, if any.
  public var samplingRate: Double?
  /// Required frames per record, if any.
  public var frames: Int?
  /// Whether all 12 standard leads must be present.
  public var allLeads: Bool
}

/// A raw dataset: lists its records and reads one record's signals.
public protocol RecordSource: Sendable {
  /// Which dataset this is.
  var kind: SourceKind { get }
  /// The source name stored in the index (default: the kind's name).
  var name: String { get }
  /// What every record must satisfy.
  var expectations: SourceExpectations { get }
  /// The records, in a deterministic order.
  func records() throws -> [SourceRecord]
  /// Reads one record's signals.
  func load(_ record: SourceRecord) throws -> RawECG
}

/// A record that cannot be used, with the reason it is counted under.
public struct RecordSkip: Error, CustomStringConvertible, Sendable {
  /// The short reason used in summaries ("wrong sampling rate").
  public let reason: String
  /// The full message.
  public let detail: String
  /// Creates a skip.
  public init(_ reason: String, _ detail: String) {
    self.reason = reason
    self.detail = detail
  }
  public var description: String { "\(reason): \(detail)" }
}

extension RecordSource {
  public var name: String { kind.rawValue }

  /// Reads a WFDB record into a raw ECG (shared by the WFDB-based sources).
  func loadWFDB(_ path: String) throws -> RawECG {
    let record = try WFDBRecord(contentsOf: path)
    let leads = (0..<record.header.signals.count).map { record.physical($0) }
    return RawECG(
      samplingRate: record.header.samplingFrequency, leadNames: record.header.signals.map(\.description), leads: leads)
  }
}

/// Helpers shared by the sources.
enum SourceFiles {
  /// Every file under `root` whose name ends with `suffix`, as sorted paths.
  static func find(under root: URL, suffix: String) throws -> [String] {
    guard FileManager.default.fileExists(atPath: root.path) else {
      throw DataSourceError("input folder \(root.path) does not exist")
    }
    guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
    var found: [String] = []
    while let relative = walker.nextObject() as? String {
      if relative.hasSuffix(suffix) { found.append(root.appendingPathComponent(relative).path) }
    }
    return found.sorted()
  }

  /// `15709.0` → `15709` (PTB-XL stores ids as floats).
  static func integerText(_ text: String) -> String {
    if let value = Double(text), value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return text
  }
}
