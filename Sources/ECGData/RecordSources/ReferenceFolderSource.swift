import Foundation
import SafePickle

/// One window of the reference's preprocessed folders (`<data>/<name>/preprocessed_<len>/*.npy`):
/// an `.npy` holding a pickled dict, read with the safe unpickler (no code runs).
public struct ReferenceWindow: Sendable {
  /// Lead-major values, `[12][segmentLength]`, in the file's lead order.
  public var ecg: [[Double]]
  /// The report text.
  public var report: String
  /// The source record's path.
  public var ecgPath: String
  /// The source record's sampling rate.
  public var originalRate: Double
  /// The rate of the stored window.
  public var targetRate: Double

  /// Reads the file at `path`.
  public init(contentsOf path: String) throws {
    let item: PickleValue
    do {
      item = try NPYFile.read(contentsOf: path, allowPickle: true).item()
    } catch {
      throw DataSourceError("\(path): not a reference window file: \(error)")
    }
    guard case .ndarray(let array)? = item["ecg"], array.shape.count == 2 else {
      throw DataSourceError("\(path): the dict has no 2-D 'ecg' array")
    }
    let values = try array.doubles()
    let (leads, length) = (array.shape[0], array.shape[1])
    ecg = (0..<leads).map { c in Array(values[(c * length)..<((c + 1) * length)]) }
    report = item["report"]?.stringValue ?? ""
    ecgPath = item["ecg_path"]?.stringValue ?? ""
    originalRate = item["original_sf"]?.doubleValue ?? 0
    targetRate = item["target_sf"]?.doubleValue ?? 250
  }
}

/// The reference's preprocessed folder of one dataset, as a record source for `ecg data import`:
/// each `.npy` file is one record with one window. MIMIC-IV and CODE-15 folders are stored in the
/// reference's `PTB_ORDER` (aVL before aVR) and are mapped back by name unless `keepLeadOrder`, which stores
/// them in that order and names the leads so (`store.json` `leads`, each window's `lead_names`).
public struct ReferenceFolderSource: RecordSource {
  /// `DATA_DIR/<name>/preprocessed_<len>`.
  public let folder: URL
  /// The dataset name (`ptb_xl`, `mimic_iv`, `code15`, `cpsc`, `csn`).
  public let name: String
  /// Keep channels as stored instead of fixing the aVR/aVL swap.
  public let keepLeadOrder: Bool

  /// Creates the source; throws for a name the reference does not use.
  public init(dataDirectory: URL, name: String, segmentLength: Int, keepLeadOrder: Bool = false) throws {
    guard let kind = SourceKind(rawValue: name), kind != .wfdb else {
      throw DataSourceError(
        "'\(name)' is neither a dataset store (a folder with store.json) nor a reference dataset (ptb_xl, mimic_iv, "
          + "code15, cpsc, csn); check the path")
    }
    self.kind = kind
    self.name = name
    self.keepLeadOrder = keepLeadOrder
    folder = dataDirectory.appendingPathComponent(name).appendingPathComponent("preprocessed_\(segmentLength)")
  }

  public let kind: SourceKind
  public var expectations: SourceExpectations { SourceExpectations(samplingRate: nil, frames: nil, allLeads: true) }

  /// The lead order of this dataset's files: the reference's `PTB_ORDER` for MIMIC-IV and CODE-15.
  public var fileLeadOrder: [String] {
    kind == .mimicIV || kind == .code15 ? StandardLeads.referenceOrder : StandardLeads.names
  }

  /// The lead order of the store: the files' with `keepLeadOrder`, else the standard order.
  public var storedLeadOrder: [String] { keepLeadOrder ? fileLeadOrder : StandardLeads.names }

  public func records() throws -> [SourceRecord] {
    guard FileManager.default.fileExists(atPath: folder.path) else {
      // Named by what it is, not by flags: data import, bench loader and pretrain spell theirs differently.
      throw DataSourceError(
        "no reference folder \(folder.path) (DATA_DIR/<name>/preprocessed_<segment length>); check the data "
          + "folder, the dataset name and the segment length given")
    }
    // Sorted as byte strings, as Python sorts the reference's file list.
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".npy") }
      .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    return files.map { file in
      let base = String(file.dropLast(4))
      let parts = base.split(separator: "_")
      let window = parts.count > 1 ? Int(parts.last!) : nil
      let stem = window == nil ? base : parts.dropLast().joined(separator: "_")
      return SourceRecord(
        id: stem, path: folder.appendingPathComponent(file).path, patientID: Self.patient(stem: stem, kind: kind),
        report: "", referenceStem: stem, firstWindow: window ?? 0)
    }
  }

  /// MIMIC-IV stems (`files_p1000_p10000032_s…`) name the subject; other folders carry no patient id.
  static func patient(stem: String, kind: SourceKind) -> String? {
    guard kind == .mimicIV else { return nil }
    let parts = stem.split(separator: "_")
    guard parts.count >= 3, parts[2].hasPrefix("p") else { return nil }
    return String(parts[2].dropFirst())
  }

  public func load(_ record: SourceRecord) throws -> RawECG {
    let window = try ReferenceWindow(contentsOf: record.path)
    guard window.ecg.count == 12 else {
      throw RecordSkip("wrong lead set", "\(record.path): \(window.ecg.count) leads, expected 12")
    }
    return RawECG(
      samplingRate: window.targetRate, leadNames: fileLeadOrder, leads: window.ecg,
      originalRate: window.originalRate == 0 ? nil : window.originalRate, report: window.report,
      sourcePath: window.ecgPath)
  }
}
