import ECGTokenizer
import Foundation

/// The windows of a dataset store (optionally one split) as a training source.
public struct StoreWindowSource: ECGWindowSource {
  public let store: DatasetStore
  /// Store indices in this source, in order.
  public let indices: [Int]
  /// The store folder's name, for the ids of windows read without metadata.
  private let storeName: String

  public init(_ store: DatasetStore, split: Split? = nil) {
    self.store = store
    indices = split.map { store.indices(in: $0) } ?? Array(0..<store.count)
    storeName = store.url.lastPathComponent
  }

  /// Every window of `store` but those of `split` (pretraining that leaves the test split unseen).
  public init(_ store: DatasetStore, excluding split: Split) {
    self.store = store
    indices = (0..<store.count).filter { store.split(at: $0) != split }
    storeName = store.url.lastPathComponent
  }

  public var count: Int { indices.count }

  public func window(at index: Int) throws -> ECGWindow {
    try window(at: index, includingReport: true)
  }

  /// Without the report the index line is not decoded (a quarter of the loader's time per window), and the
  /// window is named by its position in the store.
  public func window(at index: Int, includingReport: Bool) throws -> ECGWindow {
    let stored = indices[index]
    guard includingReport else {
      return ECGWindow(
        id: "\(storeName)[\(stored)]", values: store.window(at: stored), leads: store.leadCount,
        length: store.segmentLength)
    }
    let metadata = try store.metadata(at: stored)
    return ECGWindow(
      id: "\(metadata.recordID)#\(metadata.window)", values: store.window(at: stored), leads: store.leadCount,
      length: store.segmentLength, report: metadata.report, leadMask: metadata.leadMask)
  }

  /// The window in the store's mapped memory, without a copy.
  public func withWindow<R>(at index: Int, includingReport: Bool, _ body: (WindowView) throws -> R) throws -> R {
    let stored = indices[index]
    let id: String
    let report: String
    if includingReport {
      let metadata = try store.metadata(at: stored)
      (id, report) = ("\(metadata.recordID)#\(metadata.window)", metadata.report)
    } else {
      (id, report) = ("\(storeName)[\(stored)]", "")
    }
    return try store.withWindow(at: stored) { values in
      try body(WindowView(id: id, values: values, leads: store.leadCount, length: store.segmentLength, report: report))
    }
  }
}

/// The reference's preprocessed folder (`DATA_DIR/<name>/preprocessed_<len>/*.npy`, one pickled dict per
/// window) read directly, with leads put in the standard order (fixing MIMIC-IV's and CODE-15's aVR/aVL
/// order unless `keepLeadOrder`, which keeps the files' order: `folder.storedLeadOrder`).
public struct ReferenceFolderWindowSource: ECGWindowSource {
  public let folder: ReferenceFolderSource
  private let records: [SourceRecord]

  public init(dataDirectory: URL, name: String, segmentLength: Int, keepLeadOrder: Bool = false) throws {
    folder = try ReferenceFolderSource(
      dataDirectory: dataDirectory, name: name, segmentLength: segmentLength, keepLeadOrder: keepLeadOrder)
    records = try folder.records()
  }

  public var count: Int { records.count }

  public func window(at index: Int) throws -> ECGWindow {
    let record = records[index]
    let raw = try folder.load(record)
    let mapping = try StandardLeads.mapping(from: raw.leadNames, to: folder.storedLeadOrder)
    let length = raw.leads.first?.count ?? 0
    var values = [Float](repeating: 0, count: 12 * length)
    for (target, source) in mapping.enumerated() {
      guard let source else { continue }
      for (t, v) in raw.leads[source].enumerated() { values[target * length + t] = Float(v) }
    }
    let name = URL(fileURLWithPath: record.path).deletingPathExtension().lastPathComponent
    return ECGWindow(
      id: name, values: values, leads: 12, length: length, report: raw.report ?? "",
      leadMask: mapping.map { $0 != nil })
  }
}

/// A store's windows for ECG-Byte training and encoding (`ecg tokenizer … --data STORE`).
public struct StoreSignalWindows: SignalWindowSource {
  public let source: StoreWindowSource

  public init(_ source: StoreWindowSource) { self.source = source }

  public var count: Int { source.count }

  public func window(at index: Int) throws -> [Double] {
    source.store.window(at: source.indices[index]).map(Double.init)
  }
}
