import Foundation

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
  /// The lead order of the stored windows (default: the standard order, `StandardLeads.names`).
  var storedLeadOrder: [String] { get }
  /// Settings besides the run's own that change what a record becomes (e.g. `require_12_leads`, the English
  /// reports file): a resume with other values is refused, as for the run's settings. Default: none.
  func recordSettings() throws -> [String: String]
}

extension RecordSource {
  public var name: String { kind.rawValue }
  public var storedLeadOrder: [String] { StandardLeads.names }
  public func recordSettings() throws -> [String: String] { [:] }

  /// Reads a WFDB record into a raw ECG (shared by the WFDB-based sources).
  func loadWFDB(_ path: String) throws -> RawECG {
    let record: WFDBRecord
    do {
      record = try WFDBRecord(contentsOf: path)
    } catch let error as WFDBError where error.kind == .multiSegment {
      let segmented = try WFDBSegmentedRecord(contentsOf: path)
      let leads = zip(segmented.physical, segmented.units).map { values, units in
        let scale = Self.millivoltsPerUnit(units)
        return scale == 1 ? values : values.map { $0 * scale }
      }
      return RawECG(samplingRate: segmented.samplingFrequency, leadNames: segmented.signalNames, leads: leads)
    }
    let leads = record.header.signals.indices.map { index in
      let scale = Self.millivoltsPerUnit(record.header.signals[index].units)
      let values = record.physical(index)
      return scale == 1 ? values : values.map { $0 * scale }
    }
    return RawECG(
      samplingRate: record.header.samplingFrequency, leadNames: record.header.signals.map(\.description), leads: leads)
  }
}

extension RecordSource {
  /// Stored windows are in millivolts: the factor for a record's `units` (1 for mV and unknown units).
  static func millivoltsPerUnit(_ units: String) -> Double {
    switch units.trimmingCharacters(in: .whitespaces) {
    case "uV", "µV", "μV", "microvolts": return 0.001
    case "V", "volts": return 1000
    case "nV": return 0.000_001
    default: return 1
    }
  }
}
