/// One ECG window as the training pipeline sees it, before any representation.
public struct ECGWindow: Sendable {
  /// Identifier for messages (e.g. the record id and window number).
  public var id: String
  /// Lead-major samples: `leads` rows of `length` values.
  public var values: [Float]
  public var leads: Int
  public var length: Int
  /// Free-text report ("" when none).
  public var report: String

  public init(id: String, values: [Float], leads: Int, length: Int, report: String = "") {
    precondition(values.count == leads * length, "window \(id): \(values.count) values for \(leads) × \(length)")
    self.id = id
    self.values = values
    self.leads = leads
    self.length = length
    self.report = report
  }
}

/// Anything that serves ECG windows by index: a dataset store, a reference `.npy` folder, synthetic data.
public protocol ECGWindowSource: Sendable {
  var count: Int { get }
  /// The window at `index`; throws when it cannot be read (the loader reports and skips it).
  func window(at index: Int) throws -> ECGWindow
  /// The window at `index`, where sources may skip reading its report (and other metadata) when
  /// `includingReport` is false: the loader asks so when the task uses no text.
  func window(at index: Int, includingReport: Bool) throws -> ECGWindow
}

extension ECGWindowSource {
  public func window(at index: Int, includingReport: Bool) throws -> ECGWindow { try window(at: index) }
}

/// A window that could not be turned into a training item.
public struct SampleError: Error, CustomStringConvertible, Sendable {
  public let id: String
  public let reason: String
  public init(id: String, reason: String) {
    self.id = id
    self.reason = reason
  }
  public var description: String { "\(id): \(reason)" }
}
